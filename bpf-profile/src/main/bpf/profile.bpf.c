// SPDX-License-Identifier: GPL-2.0
/* Hearth sampling programs. Every program folds into a counts hash keyed by (tgid, kind, probe,
 * user stack hash, kernel stack hash, thread comm); the frames of each stack are stored once per
 * map set under a 64-bit hash of their content.
 *
 * Draining without loss: there are two sets of (counts, stacks) maps. control.gen picks the active
 * set (gen & 1). User space increments gen, waits for an RCU grace period (every program here runs
 * inside an RCU read-side section), and then owns the old set. Off-CPU blocks and uprobe calls keep
 * only hashes from their start: a hash names the same frames in every set, so an interval that
 * ends after a switch counts in the active set and user space resolves it from the frames it read
 * earlier (see Drainer). */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <linux/errno.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "kernel_types.h"
#include "profile_abi.h"

/* scratch buffers per CPU (see grab_scratch): a perf interrupt may nest in sched_switch, a uprobe
 * program may be preempted */
#define SCRATCH_SLOTS 4

#define STATE_PREEMPTED 0x40000000u

struct scratch {
	__u32 busy;
	__u32 pad;
	struct stack stack;
};

#define STACKS_MAP(name) \
	struct { \
		__uint(type, BPF_MAP_TYPE_HASH); \
		__type(key, __u64); \
		__type(value, struct stack); \
		__uint(max_entries, 1024); \
	} name SEC(".maps")

#define COUNTS_MAP(name) \
	struct { \
		__uint(type, BPF_MAP_TYPE_HASH); \
		__type(key, struct count_key); \
		__type(value, __u64); \
		__uint(max_entries, 1024); \
	} name SEC(".maps")

STACKS_MAP(stacks0);
STACKS_MAP(stacks1);

/* hashes whose frames user space holds already (written only by user space): not stored again */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u64);
	__type(value, __u8);
	__uint(max_entries, 1024);
} known_stacks SEC(".maps");

COUNTS_MAP(counts0);
COUNTS_MAP(counts1);

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct scratch);
	__uint(max_entries, SCRATCH_SLOTS);
} scratch SEC(".maps");

/* off-CPU: thread id -> when and where it blocked */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct start);
	__uint(max_entries, 1024);
} offcpu_starts SEC(".maps");

/* uprobe latency: (thread id, probe) -> when and where the call began */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct probe_key);
	__type(value, struct start);
	__uint(max_entries, 1024);
} call_starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u8);
	__uint(max_entries, 1024);
} target_pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, DROP_REASONS);
} drops SEC(".maps");

const volatile struct settings settings = { 1000, ~0ULL, 3 };

struct control control;

char LICENSE[] SEC("license") = "GPL";

#include "unwind.h"

static __always_inline void drop(__u32 reason)
{
	__u64 *c = bpf_map_lookup_elem(&drops, &reason);
	if (c)
		__sync_fetch_and_add(c, 1); /* atomic: a perf NMI may nest in sched_switch on this CPU */
}

static __always_inline int wanted(__u32 tgid)
{
	return !control.filter_pids || bpf_map_lookup_elem(&target_pids, &tgid);
}

/* 64-bit hash of the frames; 0 is kept for "no stack" */
static __always_inline __u64 hash_frames(struct stack *st)
{
	__u64 h = st->len * 0x9e3779b97f4a7c15ULL;
	for (int i = 0; i < MAX_STACK_DEPTH; i++) {
		if (i >= st->len)
			break;
		h = (h ^ st->ip[i]) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h ? h : 1;
}

static __always_inline struct scratch *claim(__u32 slot)
{
	struct scratch *s = bpf_map_lookup_elem(&scratch, &slot);
	return s && __sync_val_compare_and_swap(&s->busy, 0, 1) == 0 ? s : NULL;
}

/* spelled out: clang turns a loop with an early return here into one the verifier calls infinite */
static __always_inline struct scratch *grab_scratch(void)
{
	struct scratch *s = claim(0);
	if (!s)
		s = claim(1);
	if (!s)
		s = claim(2);
	if (!s)
		s = claim(3);
	return s;
}

/* Walks a stack into scratch, stores its frames in the set's stacks map unless user space knows
 * them or they are there already, and returns its hash (0 when the walk failed). */
static __always_inline __u64 take_stack(void *ctx, __u32 set, __u64 flags, __u32 missing)
{
	struct scratch *s = grab_scratch();
	if (!s) {
		drop(missing);
		return 0;
	}
	__u64 h = 0;
	long n = walk_stack(ctx, s->stack.ip, sizeof(s->stack.ip), flags);
	if (n <= 0) {
		drop(missing);
		goto out;
	}
	s->stack.len = n / sizeof(__u64);
	h = hash_frames(&s->stack);
	void *stacks = set ? (void *)&stacks1 : (void *)&stacks0;
	if (bpf_map_lookup_elem(&known_stacks, &h) || bpf_map_lookup_elem(stacks, &h))
		goto out;
	long err = bpf_map_update_elem(stacks, &h, &s->stack, BPF_NOEXIST);
	if (!err)
		__sync_fetch_and_add(&control.stack_inserts[set & 1], 1);
	else if (err == -E2BIG || err == -ENOMEM)
		drop(DROP_STACK_MAP_FULL); /* the sample keeps the hash; user space cannot resolve it */
	else if (err != -EEXIST) /* -EBUSY: the bucket lock was held on this CPU (nested program) */
		drop(missing);
out:
	s->busy = 0;
	return h;
}
static __always_inline int is_kthread(void)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	return BPF_CORE_READ(t, flags) & PF_KTHREAD;
}

static __always_inline void add(__u32 set, struct count_key *key, __u64 value)
{
	void *counts = set ? (void *)&counts1 : (void *)&counts0;
	__u64 *v = bpf_map_lookup_elem(counts, key);
	if (v) {
		__sync_fetch_and_add(v, value);
		return;
	}
	long err = bpf_map_update_elem(counts, key, &value, BPF_NOEXIST);
	if (!err) {
		__sync_fetch_and_add(&control.inserts[set & 1], 1);
		return;
	}
	if (err == -EEXIST) { /* inserted by another CPU meanwhile */
		v = bpf_map_lookup_elem(counts, key);
		if (v) {
			__sync_fetch_and_add(v, value);
			return;
		}
	}
	drop(DROP_COUNTS_FULL);
}

/* Records where the current thread is now, in the active set, to be counted when it ends. */
static __always_inline int fill_start(void *ctx, struct start *s, int user_only)
{
	__u32 set = control.gen & 1;
	__builtin_memset(s, 0, sizeof(*s));
	s->ts = bpf_ktime_get_ns();
	s->tgid = bpf_get_current_pid_tgid() >> 32;
	s->user_stack = is_kthread() ? 0 : take_stack(ctx, set, BPF_F_USER_STACK, DROP_USER_STACK);
	s->kernel_stack = user_only ? 0 : take_stack(ctx, set, 0, DROP_KERNEL_STACK);
	bpf_get_current_comm(s->comm, sizeof(s->comm));
	return 0;
}

/* Stores a start; one already there means the end of the previous interval was never seen
 * (a recursive call, a longjmp past the return, a switch the tracepoint did not report). */
static __always_inline void record_start(void *starts, void *key, struct start *s)
{
	long err = bpf_map_update_elem(starts, key, s, BPF_NOEXIST);
	if (err == -EEXIST) {
		drop(DROP_UNENDED);
		err = bpf_map_update_elem(starts, key, s, BPF_ANY);
	}
	if (err)
		drop(DROP_START_FULL);
}

/* Adds a finished interval to the active set; its stacks are named by hash, whichever set holds them. */
static __always_inline void account(struct start *s, __u8 kind, __u16 probe, __u64 delta)
{
	struct count_key key;
	__builtin_memset(&key, 0, sizeof(key));
	key.tgid = s->tgid;
	key.user_stack = s->user_stack;
	key.kernel_stack = s->kernel_stack;
	key.probe = probe;
	key.kind = kind;
	__builtin_memcpy(key.comm, s->comm, sizeof(key.comm));
	key.caller = s->caller;
	add(control.gen & 1, &key, delta);
}

SEC("perf_event")
int on_cpu(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;
	if ((__u32)id == 0 || !wanted(tgid)) /* pid 0: the idle task */
		return 0;
	__u32 set = control.gen & 1;
	struct count_key key;
	__builtin_memset(&key, 0, sizeof(key));
	key.tgid = tgid;
	key.kind = ON_CPU;
	key.user_stack = is_kthread() ? 0 : take_stack(ctx, set, BPF_F_USER_STACK, DROP_USER_STACK);
#if defined(__TARGET_ARCH_x86)
	int user_mode = (ctx->regs.cs & 3) == 3;
#else
	int user_mode = 0;
#endif
	key.kernel_stack = user_mode ? 0 : take_stack(ctx, set, 0, DROP_KERNEL_STACK);
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	add(set, &key, 1);
	return 0;
}

static __always_inline __u32 state_bits(struct task_struct *t)
{
	__u32 state;
	if (bpf_core_field_exists(t->__state))
		state = BPF_CORE_READ(t, __state);
	else
		state = BPF_CORE_READ((struct task_struct___pre514 *)t, state);
	return state ? state : STATE_PREEMPTED;
}

static __always_inline int on_switch(void *ctx, struct task_struct *prev, struct task_struct *next)
{
	/* prev blocks: current is still prev, so its stacks are the blocked ones */
	__u32 prev_tid = BPF_CORE_READ(prev, pid);
	if (prev_tid && (state_bits(prev) & settings.state_mask) && wanted(BPF_CORE_READ(prev, tgid))) {
		struct start s;
		fill_start(ctx, &s, 0);
		record_start(&offcpu_starts, &prev_tid, &s);
	}
	/* next runs again: count how long it was off */
	__u32 next_tid = BPF_CORE_READ(next, pid);
	struct start *s = bpf_map_lookup_elem(&offcpu_starts, &next_tid);
	if (!s)
		return 0;
	__u64 delta = bpf_ktime_get_ns() - s->ts;
	if (delta >= settings.min_block_ns && delta <= settings.max_block_ns)
		account(s, OFF_CPU, 0, delta);
	bpf_map_delete_elem(&offcpu_starts, &next_tid);
	return 0;
}

SEC("tp_btf/sched_switch")
int off_cpu(__u64 *ctx)
{
	return on_switch(ctx, (void *)ctx[1], (void *)ctx[2]);
}

/* the same, for kernels that refuse tp_btf */
SEC("raw_tp/sched_switch")
int off_cpu_raw(__u64 *ctx)
{
	return on_switch(ctx, (void *)ctx[1], (void *)ctx[2]);
}

/* attach cookie: probe index in the low 32 bits, bit 32 set when the return is timed too */
SEC("uprobe")
int uprobe_entry(struct pt_regs *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;
	if (!wanted(tgid))
		return 0;
	__u64 cookie = bpf_get_attach_cookie(ctx);
	struct start s;
	fill_start(ctx, &s, 1);
	bpf_probe_read_user(&s.caller, sizeof(s.caller), (void *)PT_REGS_SP(ctx));
	account(&s, UPROBE_CALLS, (__u16)cookie, 1);
	if (cookie >> 32) {
		struct probe_key pk = { .tid = (__u32)id, .probe = (__u32)cookie };
		record_start(&call_starts, &pk, &s);
	}
	return 0;
}

SEC("uretprobe")
int uprobe_return(struct pt_regs *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct probe_key pk = { .tid = (__u32)id, .probe = (__u32)bpf_get_attach_cookie(ctx) };
	struct start *s = bpf_map_lookup_elem(&call_starts, &pk);
	if (!s)
		return 0;
	account(s, UPROBE_LATENCY, (__u16)pk.probe, bpf_ktime_get_ns() - s->ts);
	bpf_map_delete_elem(&call_starts, &pk);
	return 0;
}
