/* The few kernel types the programs read, declared by hand for CO-RE: libbpf relocates every
 * field access against the running kernel's BTF, so only the names and types must match. */
#ifndef HEARTH_KERNEL_TYPES_H
#define HEARTH_KERNEL_TYPES_H

#define PF_KTHREAD 0x00200000

struct mm_struct {
} __attribute__((preserve_access_index));

struct task_struct {
	unsigned int __state;
	unsigned int flags;
	int pid;
	int tgid;
	struct mm_struct *mm;
	char comm[16];
} __attribute__((preserve_access_index));

/* kernels before 5.14 named the state field "state" */
struct task_struct___pre514 {
	long state;
} __attribute__((preserve_access_index));

#endif
