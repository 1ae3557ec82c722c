package dev.hearth.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built object against the layout user space reads (no root needed: the object is opened,
 * not loaded). bpftool and readelf, independent of our BTF reader, say what the compiler wrote.
 */
class KernelAbiTest {
    private static final Pattern TYPE = Pattern.compile("^\\[\\d+] (STRUCT|ENUM) '([^']*)' .*?size=(\\d+)");
    private static final Pattern MEMBER = Pattern.compile("^\\s+'([^']+)' type_id=\\d+ bits_offset=(\\d+)");
    private static final Pattern ENUMERATOR = Pattern.compile("^\\s+'([^']+)' val=(-?\\d+)");

    private static Path object;
    private static byte[] fileBtf;

    @BeforeAll
    static void built(@TempDir Path dir) throws Exception {
        object = dir.resolve("profile.bpf.o");
        try (InputStream in = KernelAbiTest.class.getResourceAsStream(ProfileObject.RESOURCE)) {
            Files.write(object, in.readAllBytes());
        }
        Path btf = dir.resolve("profile.btf");
        run(
                "objcopy",
                "-I",
                "elf64-little",
                "--dump-section",
                ".BTF=" + btf,
                object.toString(),
                dir.resolve("copy.o").toString());
        fileBtf = Files.readAllBytes(btf);
    }

    @Test
    void everyStructAndEnumReadsAsBpftoolPrintsIt() throws Exception {
        Btf btf = Btf.parse(ByteBuffer.wrap(fileBtf));
        Map<String, Map<String, Integer>> structs = new LinkedHashMap<>();
        Map<String, Map<String, Long>> enums = new LinkedHashMap<>();
        Map<String, Integer> sizes = new HashMap<>();
        Map<String, Integer> members = null;
        Map<String, Long> values = null;
        for (String line : run("bpftool", "btf", "dump", "file", object.toString(), "format", "raw")) {
            Matcher t = TYPE.matcher(line);
            Matcher m = MEMBER.matcher(line);
            Matcher e = ENUMERATOR.matcher(line);
            if (t.find()) {
                members = null;
                values = null;
                if (t.group(2).equals("(anon)") || structs.containsKey(t.group(2)) || enums.containsKey(t.group(2))) {
                    continue;
                }
                sizes.put(t.group(2), Integer.parseInt(t.group(3)));
                if (t.group(1).equals("STRUCT")) {
                    structs.put(t.group(2), members = new LinkedHashMap<>());
                } else {
                    enums.put(t.group(2), values = new LinkedHashMap<>());
                }
            } else if (members != null && m.find()) {
                members.put(m.group(1), Integer.parseInt(m.group(2)) / 8);
            } else if (values != null && e.find()) {
                values.put(e.group(1), Long.parseLong(e.group(2)));
            } else if (!line.startsWith("\t")) {
                members = null;
                values = null;
            }
        }
        for (String shared : List.of("count_key", "start", "probe_key", "stack", "settings", "control")) {
            assertTrue(structs.containsKey(shared), "struct " + shared + " in the object: " + structs.keySet());
        }
        assertEquals(List.of("kind", "drop_reason"), List.copyOf(enums.keySet()));
        structs.forEach((name, fields) -> {
            Btf.Struct s = btf.struct(name);
            assertEquals(sizes.get(name), s.size(), name);
            fields.forEach(
                    (field, offset) -> assertEquals(offset, s.field(field).offset(), name + "." + field));
        });
        enums.forEach((name, v) -> assertEquals(v, btf.enumValues(name), name));
    }

    @Test
    void theLayoutUserSpaceReadsIsTheCompilers() throws Exception {
        KernelAbi abi;
        try (ProfileObject po = ProfileObject.open()) {
            abi = po.abi;
        }
        Map<String, Long> symbols = new HashMap<>();
        for (String line : run("readelf", "-sW", object.toString())) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 8 && f[3].equals("OBJECT")) {
                symbols.put(f[7], Long.parseLong(f[1], 16));
            }
        }
        Btf file = Btf.parse(ByteBuffer.wrap(fileBtf));
        // data section offsets: libbpf fills them in from the symbols (the compiler leaves them 0)
        assertEquals(
                symbols.get("control")
                        + file.struct("control").field("stack_inserts").offset(),
                abi.control().stackInserts());
        assertEquals(
                symbols.get("control")
                        + file.struct("control").field("filter_pids").offset(),
                abi.control().filterPids());
        assertEquals(
                symbols.get("settings")
                        + file.struct("settings").field("state_mask").offset(),
                abi.settings().stateMask());
        assertEquals(file.struct("count_key").size(), abi.countKey().size());
        assertEquals(
                file.struct("count_key").field("caller").offset(),
                abi.countKey().caller());
        Map<String, Long> kinds = file.enumValues("kind");
        for (SampleType t : SampleType.values()) {
            assertEquals(t, abi.kinds()[kinds.get(t.name()).intValue()], t.name());
        }
        assertEquals(file.enumValues("drop_reason").get("DROP_UNENDED"), (long)
                abi.drops().unended());
        assertEquals(file.struct("stack").field("ip").size() / 8, abi.stack().depth());
    }

    @Test
    void aFieldRenamedOnOneSideFailsWithItsName() {
        BpfException e = assertThrows(BpfException.class, () -> KernelAbi.of(renamed("kernel_stack", "kernel_stacq")));
        assertTrue(e.getMessage().contains("count_key has no field kernel_stack"), e.getMessage());
        e = assertThrows(BpfException.class, () -> KernelAbi.of(renamed("UPROBE_LATENCY", "UPROBE_LATENCX")));
        assertTrue(e.getMessage().contains("enum kind has no UPROBE_LATENCY"), e.getMessage());
        e = assertThrows(BpfException.class, () -> KernelAbi.of(renamed("state_mask", "state_masq")));
        assertTrue(e.getMessage().contains("settings has no field state_mask"), e.getMessage());
    }

    @Test
    void aTruncatedOrForeignBtfIsRefused() {
        assertThrows(
                BpfException.class,
                () -> Btf.parse(ByteBuffer.wrap(fileBtf, 0, fileBtf.length / 2).slice()));
        assertThrows(BpfException.class, () -> Btf.parse(ByteBuffer.wrap(new byte[64])));
    }

    /** the object's BTF with one name changed in its string section, as if one side renamed it */
    private static Btf renamed(String from, String to) {
        String strings = new String(fileBtf, StandardCharsets.ISO_8859_1);
        int at = strings.indexOf("\0" + from + "\0");
        assertTrue(at > 0, from);
        byte[] copy = fileBtf.clone();
        System.arraycopy(to.getBytes(StandardCharsets.ISO_8859_1), 0, copy, at + 1, to.length());
        return Btf.parse(ByteBuffer.wrap(copy));
    }

    private static List<String> run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
        return out.lines().toList();
    }
}
