package dev.hearth.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The types of a BPF object as its BTF (BPF Type Format, the kernel's {@code btf.h}) describes
 * them: named structs with their fields' byte offsets and sizes, named enums with their values,
 * and where each global variable sits in its data section. Only what user space reads by name.
 */
final class Btf {
    private static final int MAGIC = 0xeb9f;
    private static final int INT = 1,
            PTR = 2,
            ARRAY = 3,
            STRUCT = 4,
            UNION = 5,
            ENUM = 6,
            FWD = 7,
            TYPEDEF = 8,
            VOLATILE = 9,
            CONST = 10,
            RESTRICT = 11,
            FUNC = 12,
            FUNC_PROTO = 13,
            VAR = 14,
            DATASEC = 15,
            FLOAT = 16,
            DECL_TAG = 17,
            TYPE_TAG = 18,
            ENUM64 = 19;

    /** A field at {@code offset} bytes; an array's {@code elementSize} is that of one element. */
    record Field(String name, int offset, int size, int elementSize) {}

    record Struct(String name, int size, Map<String, Field> fields) {
        /** the offset of a field that must be {@code size} bytes wide */
        int at(String field, int size) {
            Field f = field(field);
            if (f.size() != size) {
                throw mismatch("field " + name + "." + field + " is " + f.size() + " bytes, user space reads " + size);
            }
            return f.offset();
        }

        Field field(String field) {
            Field f = fields.get(field);
            if (f == null) {
                throw mismatch("struct " + name + " has no field " + field + " (it has " + fields.keySet() + ")");
            }
            return f;
        }
    }

    /** one type: its kind, name, size or referenced type, and the entries that follow it */
    private record Type(int kind, String name, int sizeOrType, int[] a, int[] b, int[] c) {}

    private final List<Type> types; // index = type id; 0 is void
    private final Map<String, Struct> structs = new HashMap<>();
    private final Map<String, Map<String, Long>> enums = new HashMap<>();
    private final Map<String, Integer> varOffsets = new HashMap<>();
    private final Map<String, Integer> varTypes = new HashMap<>();

    private Btf(List<Type> types) {
        this.types = types;
    }

    /** Parses raw BTF (header, type section, string section), as libbpf hands it out. */
    static Btf parse(ByteBuffer raw) {
        ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (Short.toUnsignedInt(b.getShort(0)) != MAGIC) {
                throw new BpfException("not BTF: bad magic");
            }
            int hdrLen = b.getInt(4);
            int typeOff = hdrLen + b.getInt(8);
            int typeEnd = typeOff + b.getInt(12);
            int strOff = hdrLen + b.getInt(16);
            int strEnd = strOff + b.getInt(20);
            if (hdrLen < 24 || typeEnd > b.limit() || strEnd > b.limit() || typeOff > typeEnd || strOff > strEnd) {
                throw new BpfException("BTF sections out of bounds");
            }
            Strings strings = new Strings(b, strOff, strEnd);
            List<Type> types = new ArrayList<>();
            types.add(new Type(0, "", 0, null, null, null));
            int p = typeOff;
            while (p < typeEnd) {
                String name = strings.at(b.getInt(p));
                int info = b.getInt(p + 4);
                int sizeOrType = b.getInt(p + 8);
                int kind = (info >>> 24) & 0x1f;
                int vlen = info & 0xffff;
                boolean kindFlag = info < 0;
                p += 12;
                int[] a = null, bb = null, c = null;
                String[] names = null;
                switch (kind) {
                    case INT, VAR, DECL_TAG -> p += 4;
                    case ARRAY -> {
                        a = new int[] {b.getInt(p), b.getInt(p + 8)}; // element type, count
                        p += 12;
                    }
                    case STRUCT, UNION, DATASEC -> {
                        a = new int[vlen];
                        bb = new int[vlen];
                        c = new int[vlen];
                        for (int i = 0; i < vlen; i++, p += 12) {
                            a[i] = b.getInt(p); // member name | datasec var type
                            bb[i] = b.getInt(p + 4); // member type | var offset
                            c[i] = b.getInt(p + 8); // member bit offset | var size
                            if (kind != DATASEC && kindFlag) {
                                c[i] = bitOffsetOfBitfield(c[i]);
                            }
                        }
                    }
                    case ENUM, FUNC_PROTO -> {
                        a = new int[vlen];
                        bb = new int[vlen];
                        for (int i = 0; i < vlen; i++, p += 8) {
                            a[i] = b.getInt(p);
                            bb[i] = b.getInt(p + 4);
                        }
                    }
                    case ENUM64 -> {
                        a = new int[vlen];
                        bb = new int[vlen];
                        c = new int[vlen];
                        for (int i = 0; i < vlen; i++, p += 12) {
                            a[i] = b.getInt(p);
                            bb[i] = b.getInt(p + 4);
                            c[i] = b.getInt(p + 8);
                        }
                    }
                    case PTR, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, FLOAT, TYPE_TAG -> {}
                    default -> throw new BpfException("unknown BTF kind " + kind + " at type " + types.size());
                }
                types.add(new Type(kind, name, sizeOrType, a, bb, c));
            }
            Btf btf = new Btf(types);
            btf.index(strings);
            return btf;
        } catch (IndexOutOfBoundsException e) {
            throw new BpfException("truncated BTF", e);
        }
    }

    /** a bitfield's offset in kind_flag structs; user space reads no bitfields */
    private static int bitOffsetOfBitfield(int offset) {
        if ((offset >>> 24) != 0) {
            return -1;
        }
        return offset & 0xffffff;
    }

    private void index(Strings strings) {
        for (int id = 1; id < types.size(); id++) {
            Type t = types.get(id);
            switch (t.kind) {
                case STRUCT -> {
                    if (!t.name.isEmpty()) {
                        structs.putIfAbsent(t.name, struct(id, strings));
                    }
                }
                case ENUM, ENUM64 -> {
                    Map<String, Long> values = new LinkedHashMap<>();
                    for (int i = 0; i < t.a.length; i++) {
                        long v = t.kind == ENUM ? t.b[i] : Integer.toUnsignedLong(t.b[i]) | (long) t.c[i] << 32;
                        values.put(strings.at(t.a[i]), v);
                    }
                    if (!t.name.isEmpty()) {
                        enums.putIfAbsent(t.name, values);
                    }
                }
                case DATASEC -> {
                    for (int i = 0; i < t.a.length; i++) {
                        Type var = type(t.a[i]);
                        varOffsets.put(t.name + "/" + var.name, t.b[i]);
                        varTypes.put(var.name, var.sizeOrType);
                    }
                }
                default -> {}
            }
        }
    }

    private Struct struct(int id, Strings strings) {
        Type t = types.get(id);
        Map<String, Field> fields = new LinkedHashMap<>();
        for (int i = 0; i < t.a.length; i++) {
            String name = strings.at(t.a[i]);
            int bits = t.c[i];
            if (name.isEmpty() || bits < 0 || bits % 8 != 0) {
                continue; // anonymous members and bitfields: nothing user space reads
            }
            int type = skipQualifiers(t.b[i]);
            Type ft = type(type);
            int size = size(type);
            int element = ft.kind == ARRAY ? size(ft.a[0]) : size;
            fields.put(name, new Field(name, bits / 8, size, element));
        }
        return new Struct(t.name, t.sizeOrType, Map.copyOf(fields));
    }

    private Type type(int id) {
        if (id <= 0 || id >= types.size()) {
            throw new BpfException("BTF type id " + id + " out of range");
        }
        return types.get(id);
    }

    private int skipQualifiers(int id) {
        for (int hops = 0; hops < 32; hops++) {
            Type t = type(id);
            if (t.kind != TYPEDEF
                    && t.kind != VOLATILE
                    && t.kind != CONST
                    && t.kind != RESTRICT
                    && t.kind != TYPE_TAG) {
                return id;
            }
            id = t.sizeOrType;
        }
        throw new BpfException("BTF type chain too long at " + id);
    }

    private int size(int id) {
        Type t = type(skipQualifiers(id));
        return switch (t.kind) {
            case INT, STRUCT, UNION, ENUM, ENUM64, FLOAT, DATASEC -> t.sizeOrType;
            case PTR -> 8;
            case ARRAY -> Math.multiplyExact(size(t.a[0]), t.a[1]);
            default -> throw new BpfException("BTF type " + id + " has no size");
        };
    }

    /** a named struct */
    Struct struct(String name) {
        Struct s = structs.get(name);
        if (s == null) {
            throw mismatch("no struct " + name + " in the BPF object's BTF");
        }
        return s;
    }

    /** the values of a named enum, by constant name */
    Map<String, Long> enumValues(String name) {
        Map<String, Long> e = enums.get(name);
        if (e == null) {
            throw mismatch("no enum " + name + " in the BPF object's BTF");
        }
        return e;
    }

    /** where global variable {@code var} starts in data section {@code section} (.bss, .rodata) */
    int varOffset(String section, String var) {
        Integer at = varOffsets.get(section + "/" + var);
        if (at == null) {
            throw mismatch("no variable " + var + " in section " + section + " of the BPF object's BTF");
        }
        return at;
    }

    /** the struct a global variable is declared as */
    Struct varStruct(String var) {
        Integer type = varTypes.get(var);
        if (type == null) {
            throw mismatch("no variable " + var + " in the BPF object's BTF");
        }
        Type t = type(skipQualifiers(type));
        if (t.kind != STRUCT || t.name.isEmpty()) {
            throw mismatch("variable " + var + " is not declared as a named struct");
        }
        return struct(t.name);
    }

    private static BpfException mismatch(String what) {
        return new BpfException("the BPF object and this build disagree: " + what
                + " (profile_abi.h and KernelAbi must name the same fields)");
    }

    /** the string section: NUL-terminated names by offset */
    private record Strings(ByteBuffer b, int start, int end) {
        String at(int off) {
            if (off < 0 || start + off >= end) {
                throw new BpfException("BTF string offset " + off + " out of range");
            }
            int p = start + off;
            int q = p;
            while (q < end && b.get(q) != 0) {
                q++;
            }
            byte[] s = new byte[q - p];
            b.get(p, s);
            return new String(s, StandardCharsets.UTF_8);
        }
    }
}
