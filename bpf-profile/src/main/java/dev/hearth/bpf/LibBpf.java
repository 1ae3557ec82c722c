package dev.hearth.bpf;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The part of libbpf 1.x we use, bound directly through JNA. Pointer-returning functions return
 * null and set errno on failure; int-returning ones return a negative errno.
 */
final class LibBpf {
    static final String SONAME = "libbpf.so.1";

    static {
        NativeLibrary lib;
        try {
            lib = NativeLibrary.getInstance(SONAME);
        } catch (UnsatisfiedLinkError e) {
            throw new BpfException(SONAME + " not found: install the libbpf1 package (apt-get install libbpf1)", e);
        }
        Native.register(LibBpf.class, lib);
    }

    private LibBpf() {}

    /** libbpf_print_fn_t; {@code args} is a va_list */
    interface PrintFn extends Callback {
        int invoke(int level, Pointer format, Pointer args);
    }

    static native Pointer libbpf_set_print(PrintFn fn);

    static native Pointer bpf_object__open_mem(Pointer buf, long size, Pointer opts);

    static native int bpf_object__load(Pointer obj);

    static native void bpf_object__close(Pointer obj);

    static native Pointer bpf_object__find_map_by_name(Pointer obj, String name);

    static native Pointer bpf_object__find_program_by_name(Pointer obj, String name);

    static native Pointer bpf_object__btf(Pointer obj);

    /** the BTF in its raw form; {@code sizeOut} is a u32 */
    static native Pointer btf__raw_data(Pointer btf, Pointer sizeOut);

    static native int bpf_map__set_max_entries(Pointer map, int maxEntries);

    static native int bpf_map__fd(Pointer map);

    static native Pointer bpf_map__initial_value(Pointer map, Pointer sizeOut);

    static native int bpf_program__set_autoload(Pointer prog, boolean autoload);

    static native int bpf_program__fd(Pointer prog);

    static native Pointer bpf_program__attach(Pointer prog);

    static native Pointer bpf_program__attach_perf_event(Pointer prog, int perfFd);

    static native Pointer bpf_program__attach_uprobe_opts(
            Pointer prog, int pid, String binaryPath, long funcOffset, Pointer opts);

    static native int bpf_link__destroy(Pointer link);

    static native int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

    static native int bpf_map_update_elem(int fd, Pointer key, Pointer value, long flags);

    static native int bpf_map_delete_elem(int fd, Pointer key);

    static native int bpf_map_get_next_key(int fd, Pointer key, Pointer nextKey);

    static native int bpf_map_lookup_and_delete_batch(
            int fd, Pointer inBatch, Pointer outBatch, Pointer keys, Pointer values, Pointer count, Pointer opts);

    static native int bpf_map_lookup_batch(
            int fd, Pointer inBatch, Pointer outBatch, Pointer keys, Pointer values, Pointer count, Pointer opts);

    static native int bpf_map_update_batch(int fd, Pointer keys, Pointer values, Pointer count, Pointer opts);

    static native int bpf_map_delete_batch(int fd, Pointer keys, Pointer count, Pointer opts);

    static native int bpf_map_create(int type, String name, int keySize, int valueSize, int maxEntries, Pointer opts);

    static native int bpf_obj_get_info_by_fd(int fd, Pointer info, Pointer infoLen);

    static native int bpf_enable_stats(int type);
}
