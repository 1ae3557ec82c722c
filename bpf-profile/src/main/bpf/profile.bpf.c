// SPDX-License-Identifier: GPL-2.0
/* Hearth sampling programs. Every program folds into a counts hash keyed by (tgid, kind, probe,
 * user stack id, kernel stack id, thread comm); stacks live in a STACK_TRACE map.
 *
 * Draining without loss: there are two sets of (counts, stacks) maps. control.gen picks the active
 * set (gen & 1). User space increments gen, waits for an RCU grace period (every program here runs
 * inside an RCU read-side section), and then owns the old set. Off-CPU blocks and uprobe calls
 * start in one set and may end after a switch; their stack ids stay valid through a user-space
 * stash, see account() and the drain code. */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <linux/errno.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "kernel_types.h"

#define MAX_STACK_DEPTH 127

enum kind { ON_CPU = 0, OFF_CPU = 1, UPROBE_CALLS = 2, UPROBE_LATENCY = 3 };

enum drop_reason {
	DROP_USER_STACK = 0,
	DROP_KERNEL_STACK = 1,
	DROP_COLLISION = 2,
	DROP_STACK_MAP_FULL = 3,
	DROP_COUNTS_FULL = 4,
	DROP_START_FULL = 5,
	DROP_UNENDED = 6, /* an interval began again before its end was seen: the first one is lost */
	DROP_REASONS = 8,
};

#define STATE_PREEMPTED 0x40000000u

struct count_key {
	__u32 tgid;
	__u32 stack_gen; /* the gen whose stack map holds the ids below */
	__s32 user_stack;
	__s32 kernel_stack;
	__u16 probe;
	__u8 kind;
	__u8 pad;
	char comm[16];
	__u32 pad2;
	/* uprobes: the return address at function entry. The frame-pointer walk misses the direct
	 * caller there (the callee has not pushed its frame yet), so user space splices it in. */
	__u64 caller;
};

struct start {
	__u64 ts;
	__u32 gen;
	__s32 user_stack;
	__s32 kernel_stack;
	__u32 tgid;
	char comm[16];
	__u64 caller;
};

struct probe_key {
	__u32 tid;
	__u32 probe;
};

#define STACK_MAP(name) \
	struct { \
		__uint(type, BPF_MAP_TYPE_STACK_TRACE); \
		__uint(key_size, sizeof(__u32)); \
		__uint(value_size, MAX_STACK_DEPTH * sizeof(__u64)); \
		__uint(max_entries, 1024); \
	} name SEC(".maps")

#define COUNTS_MAP(name) \
	struct { \
		__uint(type, BPF_MAP_TYPE_HASH); \
		__type(key, struct count_key); \
		__type(value, __u64); \
		__uint(max_entries, 1024); \
	} name SEC(".maps")

STACK_MAP(stacks0);
STACK_MAP(stacks1);
COUNTS_MAP(counts0);
COUNTS_MAP(counts1);

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

/* fixed before load */
const volatile struct {
	__u64 min_block_ns;
	__u64 max_block_ns;
	__u32 state_mask;
} settings = { 1000, ~0ULL, 3 };

/* written by user space at run time (mmap'ed .bss) */
struct {
	__u32 gen;
	__u32 stashed_below; /* stacks of start entries with gen < this are stashed in user space */
	__u32 filter_pids;
	__u32 pad;
	__u64 inserts[2];    /* new counts keys per set, for the fill threshold */
} control;

char LICENSE[] SEC("license") = "GPL";

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

static __always_inline __s32 take_stack(void *ctx, __u32 set, __u64 flags, __u32 missing)
{
	long id = set ? bpf_get_stackid(ctx, &stacks1, flags) : bpf_get_stackid(ctx, &stacks0, flags);
	if (id >= 0)
		return id;
	if (id == -EEXIST)
		drop(DROP_COLLISION);
	else if (id == -ENOMEM)
		drop(DROP_STACK_MAP_FULL);
	else
		drop(missing);
	return -1;
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
	__u32 gen = control.gen;
	__u32 set = gen & 1;
	__builtin_memset(s, 0, sizeof(*s));
	s->ts = bpf_ktime_get_ns();
	s->gen = gen;
	s->tgid = bpf_get_current_pid_tgid() >> 32;
	s->user_stack = is_kthread() ? -1 : take_stack(ctx, set, BPF_F_USER_STACK, DROP_USER_STACK);
	s->kernel_stack = user_only ? -1 : take_stack(ctx, set, 0, DROP_KERNEL_STACK);
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

/* Adds a finished interval. Its stack ids belong to the set of s->gen:
 *  - same gen as now: count in the active set;
 *  - older and already stashed by user space: count in the active set, key says which gen;
 *  - older, drain in progress (flip done, stash not yet): count in the old set, which user space
 *    reads only after a grace period that follows publishing stashed_below. */
static __always_inline void account(struct start *s, __u8 kind, __u16 probe, __u64 delta)
{
	__u32 gen = control.gen;
	__u32 set = gen & 1;
	if (s->gen != gen && s->gen >= control.stashed_below)
		set = s->gen & 1;
	struct count_key key;
	__builtin_memset(&key, 0, sizeof(key));
	key.tgid = s->tgid;
	key.stack_gen = s->gen;
	key.user_stack = s->user_stack;
	key.kernel_stack = s->kernel_stack;
	key.probe = probe;
	key.kind = kind;
	__builtin_memcpy(key.comm, s->comm, sizeof(key.comm));
	key.caller = s->caller;
	add(set, &key, delta);
}

SEC("perf_event")
int on_cpu(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;
	if ((__u32)id == 0 || !wanted(tgid)) /* pid 0: the idle task */
		return 0;
	__u32 gen = control.gen;
	__u32 set = gen & 1;
	struct count_key key;
	__builtin_memset(&key, 0, sizeof(key));
	key.tgid = tgid;
	key.stack_gen = gen;
	key.kind = ON_CPU;
	key.user_stack = is_kthread() ? -1 : take_stack(ctx, set, BPF_F_USER_STACK, DROP_USER_STACK);
#if defined(__TARGET_ARCH_x86)
	int user_mode = (ctx->regs.cs & 3) == 3;
#else
	int user_mode = 0;
#endif
	key.kernel_stack = user_mode ? -1 : take_stack(ctx, set, 0, DROP_KERNEL_STACK);
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
