/* The types the programs share with user space: map keys and values, the settings fixed before
 * load and the control block in .bss. User space finds every field, size and enum value here by
 * name in the object's BTF (dev.hearth.bpf.KernelAbi), never by position: rename or move a field
 * and loading fails with the name, and so does the build (KernelAbiTest). */
#ifndef HEARTH_PROFILE_ABI_H
#define HEARTH_PROFILE_ABI_H

#define MAX_STACK_DEPTH 127

/* names shared with dev.hearth.bpf.SampleType */
enum kind { ON_CPU = 0, OFF_CPU = 1, UPROBE_CALLS = 2, UPROBE_LATENCY = 3 };

enum drop_reason {
	DROP_USER_STACK = 0,
	DROP_KERNEL_STACK = 1,
	DROP_COLLISION = 2, /* unused in the kernel: user space detects hash collisions */
	DROP_STACK_MAP_FULL = 3,
	DROP_COUNTS_FULL = 4,
	DROP_START_FULL = 5,
	DROP_UNENDED = 6, /* an interval began again before its end was seen: the first one is lost */
	DROP_REASONS = 8,
};

struct count_key {
	__u32 tgid;
	__u16 probe;
	__u8 kind;
	__u8 pad;
	char comm[16];
	__u64 user_stack; /* stack hashes; 0: no stack */
	__u64 kernel_stack;
	/* uprobes: the return address at function entry. The frame-pointer walk misses the direct
	 * caller there (the callee has not pushed its frame yet), so user space splices it in. */
	__u64 caller;
};

struct start {
	__u64 ts;
	__u64 user_stack;
	__u64 kernel_stack;
	__u64 caller;
	__u32 tgid;
	char comm[16];
	__u32 pad;
};

struct probe_key {
	__u32 tid;
	__u32 probe;
};

/* the value of a stacks map entry: frame count, then the frames, leaf first */
struct stack {
	__u64 len;
	__u64 ip[MAX_STACK_DEPTH];
};

/* fixed before load (.rodata) */
struct settings {
	__u64 min_block_ns;
	__u64 max_block_ns;
	__u32 state_mask;
};

/* written by user space at run time (mmap'ed .bss) */
struct control {
	__u32 gen;
	__u32 filter_pids;
	__u64 inserts[2]; /* new counts keys per set, for the fill threshold */
	__u64 stack_inserts[2]; /* new stacks per set */
};

/* Read by no program: the compiler emits an enum into BTF only when a variable's type names it. */
struct abi_enums {
	enum kind kind;
	enum drop_reason drop_reason;
} abi_enums;

#endif
