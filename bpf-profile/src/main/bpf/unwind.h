/* User stacks unwound with tables derived from .eh_frame, frame pointers where a range has none.
 *
 * User space (UnwindMaps) keeps, per sampled process, its executable mappings sorted by start,
 * each naming a table (one per binary, shared by every process that maps it) and a load bias:
 * file address = pc - bias. A table is an inner ARRAY map of rows sorted by file address; a row
 * says how to find the CFA (canonical frame address) from rsp or rbp at that address and where
 * rbp was saved; the return address is always at CFA - 8 on x86-64. What the walk misses it asks
 * user space for (unwind_requests) and falls back to the frame pointer meanwhile. The layouts
 * here are the contract with UnwindRow and UnwindMaps on the Java side. */
#ifndef HEARTH_UNWIND_H
#define HEARTH_UNWIND_H

#define UNWIND_MAX_MAPPINGS 256
#define UNWIND_SEARCH_STEPS 24 /* binary search of up to 16M rows */
#define UNWIND_MAPPING_STEPS 9 /* binary search of 256 mappings */

/* how a row finds the CFA */
enum unwind_cfa {
	CFA_GAP = 0, /* no rule known here: frame pointer */
	CFA_RSP = 1, /* rsp + cfa_off */
	CFA_RBP = 2, /* rbp + cfa_off */
	CFA_PLT = 3, /* PLT stubs: rsp + 8, + 8 more once (pc & 15) >= cfa_off */
	CFA_SIGNAL =
		4, /* __restore_rt: caller's rsp at rsp + cfa_off, rip after it, rbp at rsp + 8 * rbp_off */
	CFA_END = 5, /* the outermost frame: the stack is whole */
	CFA_STOP = 6, /* a rule the walk cannot follow: the stack is cut here */
};

/* table ids in a mapping besides real ones */
#define TABLE_UNKNOWN 0 /* not built yet: ask user space, walk by frame pointer meanwhile */
#define TABLE_NONE 0xffffffffu /* no table (JIT code, no .eh_frame): frame pointer */

/* why a user stack was not walked to its end (unwind_stats index) */
enum unwind_stat {
	UNWIND_COMPLETE = 0, /* reached an outermost frame */
	UNWIND_NO_TABLE = 1, /* ended in a range without a table, where the frame pointer led nowhere */
	UNWIND_BUDGET = 2, /* its table was evicted to stay within the memory budget */
	UNWIND_DEPTH = 3, /* deeper than MAX_STACK_DEPTH frames */
	UNWIND_READ_FAULT = 4, /* a saved register or return address could not be read */
	UNWIND_STATS = 8,
};

/* requests to user space */
enum unwind_request_kind {
	REQUEST_PROCESS = 0, /* a process with no mapping list */
	REQUEST_TABLE = 1, /* addr: start of a mapping whose table is not loaded */
	REQUEST_MAPS = 2, /* addr: a pc in no known mapping (the process mapped something new) */
};

/* 8 bytes; sorted by pc within a table */
struct unwind_row {
	__u32 pc; /* file address where the row starts to apply */
	__u8 cfa; /* enum unwind_cfa */
	__s8 rbp_off; /* rbp saved at CFA + 8 * rbp_off (SIGNAL: rsp + 8 * rbp_off); 0: rbp unchanged */
	__s16 cfa_off;
};

struct unwind_mapping {
	__u64 start;
	__u64 end;
	__u64 bias;
	__u32 table;
	__u32 rows;
};

struct unwind_process {
	__u32 count;
	__u32 pad;
	struct unwind_mapping m[UNWIND_MAX_MAPPINGS];
};

struct unwind_request {
	__u32 tgid;
	__u32 kind;
	__u64 addr;
};

/* fixed before load; off when the kernel refused the unwinder (see UnwindProbe) */
const volatile __u32 unwind_enabled SEC(".rodata.unwind") = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct unwind_process);
	__uint(max_entries, 1024);
} unwind_processes SEC(".maps");

struct unwind_table_tmpl {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_INNER_MAP);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct unwind_row));
	__uint(max_entries, 1);
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__type(key, __u32);
	__uint(max_entries, 4096);
	__array(values, struct unwind_table_tmpl);
} unwind_tables SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct unwind_request);
	__type(value, __u8);
	__uint(max_entries, 4096);
} unwind_requests SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, UNWIND_STATS);
} unwind_stats SEC(".maps");

struct unwind_state {
	__u64 *ip; /* the frames, leaf first */
	struct unwind_process *proc;
	__u64 pc;
	__u64 sp;
	__u64 bp;
	__u32 tgid;
	__u32 n;
	__u32 stat; /* enum unwind_stat once the walk ended */
	__u32 leaf; /* pc is not a return address (leaf, or interrupted by a signal) */
};

static __always_inline void unwind_count(__u32 stat)
{
	__u64 *c = bpf_map_lookup_elem(&unwind_stats, &stat);
	if (c)
		__sync_fetch_and_add(c, 1);
}

static __always_inline void unwind_request(__u32 tgid, __u32 kind, __u64 addr)
{
	struct unwind_request r = { .tgid = tgid, .kind = kind, .addr = addr };
	__u8 one = 1;
	if (!bpf_map_lookup_elem(&unwind_requests, &r))
		bpf_map_update_elem(&unwind_requests, &r, &one, BPF_NOEXIST);
}

/* A binary search, one step per bpf_loop round: the verifier checks a step once instead of
 * following every path through an unrolled search. Finds the last element at or below key. */
struct unwind_search {
	void *in; /* struct unwind_process, or a table (inner map) */
	__u64 key;
	__u32 lo;
	__u32 hi;
};

static long unwind_mapping_step(__u32 i, struct unwind_search *s)
{
	if (s->lo >= s->hi)
		return 1;
	__u32 mid = (s->lo + s->hi) / 2;
	if (mid >= UNWIND_MAX_MAPPINGS)
		return 1;
	struct unwind_process *p = s->in;
	if (p->m[mid].start <= s->key)
		s->lo = mid + 1;
	else
		s->hi = mid;
	return 0;
}

static long unwind_row_step(__u32 i, struct unwind_search *s)
{
	if (s->lo >= s->hi)
		return 1;
	__u32 mid = (s->lo + s->hi) / 2;
	struct unwind_row *r = bpf_map_lookup_elem(s->in, &mid);
	if (!r)
		return 1;
	if (r->pc <= s->key)
		s->lo = mid + 1;
	else
		s->hi = mid;
	return 0;
}

/* the mapping holding pc, or NULL */
static __always_inline struct unwind_mapping *unwind_find_mapping(struct unwind_process *p, __u64 pc)
{
	struct unwind_search s = { .in = p, .key = pc, .lo = 0, .hi = p->count };
	bpf_loop(UNWIND_MAPPING_STEPS, unwind_mapping_step, &s, 0);
	__u32 idx = s.lo - 1;
	if (s.lo == 0 || idx >= UNWIND_MAX_MAPPINGS || idx >= p->count)
		return NULL;
	struct unwind_mapping *m = &p->m[idx];
	return pc < m->end ? m : NULL;
}

/* the last row at or below addr, or NULL */
static __always_inline struct unwind_row *unwind_find_row(void *table, __u32 rows, __u32 addr)
{
	struct unwind_search s = { .in = table, .key = addr, .lo = 0, .hi = rows };
	bpf_loop(UNWIND_SEARCH_STEPS, unwind_row_step, &s, 0);
	if (s.lo == 0)
		return NULL;
	__u32 idx = s.lo - 1;
	return bpf_map_lookup_elem(table, &idx);
}

static __always_inline int unwind_read(__u64 *dst, __u64 addr)
{
	return bpf_probe_read_user(dst, sizeof(*dst), (void *)addr);
}

/* one frame: 0 to go on, 1 when the walk ended (st->stat says how) */
static long unwind_step(__u32 i, struct unwind_state *st)
{
	if (st->n >= MAX_STACK_DEPTH) {
		st->stat = UNWIND_DEPTH;
		return 1;
	}
	__u64 pc = st->pc;
	__u32 idx = st->n;
	if (idx >= MAX_STACK_DEPTH)
		return 1;
	st->ip[idx] = pc;
	st->n = idx + 1;

	struct unwind_mapping *m = unwind_find_mapping(st->proc, pc);
	__u32 fallback = UNWIND_NO_TABLE;
	if (!m) {
		unwind_request(st->tgid, REQUEST_MAPS, pc & ~0xfffffULL);
	} else if (m->table == TABLE_UNKNOWN) {
		unwind_request(st->tgid, REQUEST_TABLE, m->start);
	} else if (m->table != TABLE_NONE) {
		void *table = bpf_map_lookup_elem(&unwind_tables, &m->table);
		if (!table) {
			unwind_request(st->tgid, REQUEST_TABLE, m->start);
			fallback = UNWIND_BUDGET;
		} else {
			/* a return address points past the call, maybe past the function's end */
			__u64 addr = pc - m->bias - (st->leaf ? 0 : 1);
			struct unwind_row *r = unwind_find_row(table, m->rows, (__u32)addr);
			if (r && r->cfa != CFA_GAP) {
				__u64 cfa, ra;
				switch (r->cfa) {
				case CFA_RSP:
					cfa = st->sp + r->cfa_off;
					break;
				case CFA_RBP:
					cfa = st->bp + r->cfa_off;
					break;
				case CFA_PLT:
					cfa = st->sp + 8 + ((pc & 15) >= (__u64)r->cfa_off ? 8 : 0);
					break;
				case CFA_SIGNAL: {
					/* the handler returned into __restore_rt: the interrupted registers are in
					 * the ucontext the kernel left at rsp */
					__u64 bp, sp;
					if (unwind_read(&bp, st->sp + 8 * (__s64)r->rbp_off) ||
					    unwind_read(&sp, st->sp + r->cfa_off) ||
					    unwind_read(&ra, st->sp + r->cfa_off + 8)) {
						st->stat = UNWIND_READ_FAULT;
						return 1;
					}
					st->bp = bp;
					st->sp = sp;
					st->pc = ra;
					st->leaf = 1; /* the interrupted instruction, not a return address */
					if (ra == 0) {
						st->stat = UNWIND_COMPLETE;
						return 1;
					}
					return 0;
				}
				case CFA_END:
					st->stat = UNWIND_COMPLETE;
					return 1;
				default:
					st->stat = UNWIND_NO_TABLE;
					return 1;
				}
				if (unwind_read(&ra, cfa - 8)) {
					st->stat = UNWIND_READ_FAULT;
					return 1;
				}
				if (r->rbp_off) {
					__u64 bp;
					if (unwind_read(&bp, cfa + 8 * (__s64)r->rbp_off)) {
						st->stat = UNWIND_READ_FAULT;
						return 1;
					}
					st->bp = bp;
				}
				st->sp = cfa;
				st->pc = ra;
				st->leaf = 0;
				if (ra == 0) {
					st->stat = UNWIND_COMPLETE;
					return 1;
				}
				return 0;
			}
		}
	}
	/* frame pointer: [rbp] is the caller's rbp, [rbp + 8] the return address */
	__u64 bp = st->bp, next_bp, ra;
	if (bp == 0) {
		st->stat = m && m->table == TABLE_NONE ? UNWIND_COMPLETE : fallback;
		return 1;
	}
	if (unwind_read(&next_bp, bp) || unwind_read(&ra, bp + 8)) {
		st->stat = fallback;
		return 1;
	}
	st->bp = next_bp;
	st->sp = bp + 16;
	st->pc = ra;
	st->leaf = 0;
	if (ra == 0) {
		st->stat = UNWIND_COMPLETE;
		return 1;
	}
	return 0;
}

/* Walks the current task's user stack into ip[]; returns the number of bytes written like
 * bpf_get_stack, or a negative error when there is nothing to walk. */
static __always_inline long unwind_user_stack(__u64 *ip)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
	struct unwind_state st = {};
	if (bpf_probe_read_kernel(&st.pc, sizeof(st.pc), &PT_REGS_IP(regs)) ||
	    bpf_probe_read_kernel(&st.sp, sizeof(st.sp), &PT_REGS_SP(regs)) ||
	    bpf_probe_read_kernel(&st.bp, sizeof(st.bp), &PT_REGS_FP(regs)))
		return -EFAULT;
	if (st.pc == 0)
		return -EFAULT;
	st.tgid = bpf_get_current_pid_tgid() >> 32;
	st.proc = bpf_map_lookup_elem(&unwind_processes, &st.tgid);
	if (!st.proc) {
		unwind_request(st.tgid, REQUEST_PROCESS, 0);
		return -ENOENT;
	}
	st.ip = ip;
	st.leaf = 1;
	st.stat = UNWIND_DEPTH;
	bpf_loop(MAX_STACK_DEPTH + 1, unwind_step, &st, 0);
	unwind_count(st.stat);
	return st.n * sizeof(__u64);
}

/* the user or kernel stack of the current task, as bpf_get_stack returns it */
static __always_inline long walk_stack(void *ctx, __u64 *ip, __u32 size, __u64 flags)
{
	if ((flags & BPF_F_USER_STACK) && unwind_enabled) {
		long n = unwind_user_stack(ip);
		if (n != -ENOENT) /* a process user space has not listed yet: frame pointers this time */
			return n;
	}
	return bpf_get_stack(ctx, ip, size, flags);
}

#endif
