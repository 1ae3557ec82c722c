package dev.hearth.symbolizer;

import dev.hearth.symbolizer.DemangleNode.ArrayType;
import dev.hearth.symbolizer.DemangleNode.Decorated;
import dev.hearth.symbolizer.DemangleNode.Forward;
import dev.hearth.symbolizer.DemangleNode.Function;
import dev.hearth.symbolizer.DemangleNode.FunctionType;
import dev.hearth.symbolizer.DemangleNode.MemberPointer;
import dev.hearth.symbolizer.DemangleNode.Name;
import dev.hearth.symbolizer.DemangleNode.Nested;
import dev.hearth.symbolizer.DemangleNode.Pack;
import dev.hearth.symbolizer.DemangleNode.Pointer;
import dev.hearth.symbolizer.DemangleNode.Qualified;
import dev.hearth.symbolizer.DemangleNode.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Recursive-descent parser for the Itanium C++ ABI mangling (what GCC and Clang emit on Linux).
 * Throws {@link IllegalArgumentException} on anything it does not understand.
 *
 * <p>One method per production of the ABI's grammar, in the grammar's order: {@link #parse} →
 * {@code encoding} (a function's name and parameters, or a special name such as a vtable); names
 * ({@code name}, {@code nestedName}, {@code localName}, {@code unqualifiedName},
 * {@code operatorName}, {@code sourceName}); back references ({@code substitution},
 * {@code templateParam}, {@code templateArgs}); types ({@code type}, {@code functionType},
 * {@code arrayType}); expressions in template arguments ({@code exprPrimary}, {@code expression}).
 * The parser builds {@link DemangleNode}s, which print themselves as c++filt does. State across
 * productions: {@code subs} (the substitution table, S_ … S<n>_), {@code templateArgs} (for T_),
 * and what the last name was (constructor, template) so the encoding knows whether a return type
 * follows.
 */
final class ItaniumParser {
    private static final Map<Character, Name> BUILTINS = Map.ofEntries(
            Map.entry('v', new Name("void")),
            Map.entry('w', new Name("wchar_t")),
            Map.entry('b', new Name("bool")),
            Map.entry('c', new Name("char")),
            Map.entry('a', new Name("signed char")),
            Map.entry('h', new Name("unsigned char")),
            Map.entry('s', new Name("short")),
            Map.entry('t', new Name("unsigned short")),
            Map.entry('i', new Name("int")),
            Map.entry('j', new Name("unsigned int")),
            Map.entry('l', new Name("long")),
            Map.entry('m', new Name("unsigned long")),
            Map.entry('x', new Name("long long")),
            Map.entry('y', new Name("unsigned long long")),
            Map.entry('n', new Name("__int128")),
            Map.entry('o', new Name("unsigned __int128")),
            Map.entry('f', new Name("float")),
            Map.entry('d', new Name("double")),
            Map.entry('e', new Name("long double")),
            Map.entry('g', new Name("__float128")),
            Map.entry('z', new Name("...")));
    private static final Map<Character, Name> D_BUILTINS = Map.ofEntries(
            Map.entry('d', new Name("decimal64")),
            Map.entry('e', new Name("decimal128")),
            Map.entry('f', new Name("decimal32")),
            Map.entry('h', new Name("half")),
            Map.entry('i', new Name("char32_t")),
            Map.entry('s', new Name("char16_t")),
            Map.entry('u', new Name("char8_t")),
            Map.entry('a', new Name("auto")),
            Map.entry('c', new Name("decltype(auto)")),
            Map.entry('n', new Name("decltype(nullptr)")));
    private static final Map<Character, String> LITERAL_SUFFIX =
            Map.of('i', "", 'j', "u", 'l', "l", 'm', "ul", 'x', "ll", 'y', "ull");
    /** code -> {printed operator, arity} */
    private static final Map<String, String[]> OPERATORS = Map.ofEntries(
            op("nw", "new", 3),
            op("na", "new[]", 3),
            op("dl", "delete", 1),
            op("da", "delete[]", 1),
            op("ps", "+", 1),
            op("ng", "-", 1),
            op("ad", "&", 1),
            op("de", "*", 1),
            op("co", "~", 1),
            op("pl", "+", 2),
            op("mi", "-", 2),
            op("ml", "*", 2),
            op("dv", "/", 2),
            op("rm", "%", 2),
            op("an", "&", 2),
            op("or", "|", 2),
            op("eo", "^", 2),
            op("aS", "=", 2),
            op("pL", "+=", 2),
            op("mI", "-=", 2),
            op("mL", "*=", 2),
            op("dV", "/=", 2),
            op("rM", "%=", 2),
            op("aN", "&=", 2),
            op("oR", "|=", 2),
            op("eO", "^=", 2),
            op("ls", "<<", 2),
            op("rs", ">>", 2),
            op("lS", "<<=", 2),
            op("rS", ">>=", 2),
            op("eq", "==", 2),
            op("ne", "!=", 2),
            op("lt", "<", 2),
            op("gt", ">", 2),
            op("le", "<=", 2),
            op("ge", ">=", 2),
            op("ss", "<=>", 2),
            op("nt", "!", 1),
            op("aa", "&&", 2),
            op("oo", "||", 2),
            op("pp", "++", 1),
            op("mm", "--", 1),
            op("cm", ",", 2),
            op("pm", "->*", 2),
            op("pt", "->", 2),
            op("cl", "()", 2),
            op("ix", "[]", 2),
            op("qu", "?", 3),
            op("st", "sizeof ", 1),
            op("sz", "sizeof ", 1),
            op("at", "alignof ", 1),
            op("az", "alignof ", 1),
            op("aw", "co_await", 1));

    private static Map.Entry<String, String[]> op(String code, String text, int arity) {
        return Map.entry(code, new String[] {text, Integer.toString(arity)});
    }

    private enum Kind {
        PLAIN,
        CTOR_DTOR,
        CONVERSION
    }

    private final String s;
    private int p;
    private int depth; // recursion of the productions below, bounded like the nodes they build
    private final DemangleOutput.Budget budget;
    private final List<DemangleNode> subs = new ArrayList<>();
    private List<DemangleNode> templateArgs = List.of();
    private String nameQuals = "";
    private Kind lastKind = Kind.PLAIN;
    private boolean nameIsTemplate;

    private ItaniumParser(String s, DemangleOutput.Budget budget) {
        this.s = s;
        this.budget = budget;
    }

    /**
     * Prints the demangled text of {@code mangled} (which starts with _Z) to {@code out}, which shares
     * {@code budget}; throws {@link DemangleOutput.Spent} when either runs out, with what fit printed.
     */
    static void parse(String mangled, DemangleOutput.Budget budget, DemangleOutput out) {
        ItaniumParser d = new ItaniumParser(mangled, budget);
        if (!mangled.startsWith("_Z")) throw new IllegalArgumentException("not mangled");
        d.p = 2;
        DemangleNode n = d.encoding();
        StringBuilder suffixes = new StringBuilder();
        d.cloneSuffixes(suffixes);
        if (d.p != mangled.length()) throw d.fail("trailing characters");
        n.left(out);
        n.right(out);
        out.append(suffixes.toString());
    }

    /** Every recursion of the grammar passes here: deeper than any node may be is no real name. */
    private void enter() {
        if (++depth > DemangleNode.MAX_DEPTH) throw fail("nested too deeply");
    }

    private IllegalArgumentException fail(String why) {
        return new IllegalArgumentException(why + " at " + p + " in " + s);
    }

    private char peek() {
        return p < s.length() ? s.charAt(p) : '\0';
    }

    private char peek(int ahead) {
        return p + ahead < s.length() ? s.charAt(p + ahead) : '\0';
    }

    private boolean consume(String prefix) {
        if (s.startsWith(prefix, p)) {
            p += prefix.length();
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (peek() != c) throw fail("expected '" + c + "'");
        p++;
    }

    // .cold, .isra.0, .constprop.0 ... as c++filt shows them: " [clone .isra.0]"
    private void cloneSuffixes(StringBuilder out) {
        while (peek() == '.') {
            int start = p++;
            if (Character.isLetter(peek()) || peek() == '_') {
                while (Character.isLetter(peek()) || peek() == '_') p++;
            } else if (!Character.isDigit(peek())) throw fail("bad clone suffix");
            while (peek() == '.' && Character.isDigit(peek(1))) {
                p++;
                while (Character.isDigit(peek())) p++;
            }
            while (Character.isDigit(peek())) p++;
            out.append(" [clone ").append(s, start, p).append(']');
        }
    }

    private DemangleNode encoding() {
        enter();
        try {
            return encodingOnce();
        } finally {
            depth--;
        }
    }

    private DemangleNode encodingOnce() {
        char c = peek();
        if (c == 'T' || (c == 'G' && (peek(1) == 'V' || peek(1) == 'R' || peek(1) == 'T'))) return specialName();
        List<DemangleNode> saved = templateArgs;
        DemangleNode name = name();
        String quals = nameQuals;
        Kind kind = lastKind;
        boolean template = nameIsTemplate;
        if (p >= s.length() || peek() == 'E' || peek() == '.') {
            templateArgs = saved;
            return name;
        }
        DemangleNode ret = template && kind == Kind.PLAIN ? type() : null;
        List<DemangleNode> params = paramList();
        templateArgs = saved;
        return new Function(name, ret, params, quals);
    }

    private List<DemangleNode> paramList() {
        List<DemangleNode> params = new ArrayList<>();
        while (p < s.length() && peek() != 'E' && peek() != '.') params.add(type());
        if (params.size() == 1 && params.get(0) == BUILTINS.get('v')) params.clear();
        if (params.isEmpty() && !s.startsWith("v", p - 1)) throw fail("missing parameters");
        return params;
    }

    private DemangleNode specialName() {
        if (consume("TV")) return new Decorated("vtable for ", type(), "");
        if (consume("TT")) return new Decorated("VTT for ", type(), "");
        if (consume("TI")) return new Decorated("typeinfo for ", type(), "");
        if (consume("TS")) return new Decorated("typeinfo name for ", type(), "");
        if (consume("TW")) return new Decorated("TLS wrapper function for ", name(), "");
        if (consume("TH")) return new Decorated("TLS init function for ", name(), "");
        if (consume("Th")) {
            callOffset('h');
            return new Decorated("non-virtual thunk to ", encoding(), "");
        }
        if (consume("Tv")) {
            callOffset('v');
            return new Decorated("virtual thunk to ", encoding(), "");
        }
        if (consume("Tc")) {
            callOffset(next());
            callOffset(next());
            return new Decorated("covariant return thunk to ", encoding(), "");
        }
        if (consume("TC")) {
            DemangleNode derived = type();
            number();
            expect('_');
            DemangleNode base = type();
            return new Decorated("construction vtable for ", base, "-in-" + derived.print(budget));
        }
        if (consume("GV")) return new Decorated("guard variable for ", name(), "");
        if (consume("GR")) {
            DemangleNode n = name();
            int seq = peek() == '_' ? 0 : seqId() + 1;
            expect('_');
            return new Decorated("reference temporary #" + seq + " for ", n, "");
        }
        if (consume("GTt")) return new Decorated("transaction clone for ", encoding(), "");
        throw fail("unknown special name");
    }

    private char next() {
        return s.charAt(p++);
    }

    private void callOffset(char kind) {
        if (kind == 'h') {
            if (peek() == 'h') p++;
            number();
            expect('_');
            return;
        }
        if (kind == 'v') {
            if (peek() == 'v') p++;
            number();
            expect('_');
            number();
            expect('_');
            return;
        }
        throw fail("bad call offset");
    }

    private DemangleNode name() {
        enter();
        try {
            return nameOnce();
        } finally {
            depth--;
        }
    }

    private DemangleNode nameOnce() {
        nameQuals = "";
        nameIsTemplate = false;
        char c = peek();
        if (c == 'N') return nestedName();
        if (c == 'Z') return localName();
        DemangleNode n;
        if (c == 'S' && peek(1) == 't') {
            p += 2;
            n = new Nested(new Name("std"), unqualifiedName(null));
            if (peek() == 'I') subs.add(n);
        } else if (c == 'S') {
            n = substitution();
            if (peek() != 'I') return n;
        } else {
            n = unqualifiedName(null);
            if (peek() == 'I') subs.add(n);
        }
        if (peek() == 'I') {
            Kind k = lastKind;
            List<DemangleNode> args = templateArgs();
            templateArgs = args;
            nameIsTemplate = true;
            lastKind = k;
            n = new Template(n, args);
        }
        return n;
    }

    private DemangleNode nestedName() {
        expect('N');
        String quals = cvQualifiers();
        if (peek() == 'R') {
            p++;
            quals += " &";
        } else if (peek() == 'O') {
            p++;
            quals += " &&";
        }
        DemangleNode cur = null;
        boolean template = false;
        while (true) {
            char c = peek();
            if (c == 'E') {
                p++;
                break;
            }
            if (c == '\0') throw fail("unterminated nested name");
            template = false;
            if (c == 'S' && peek(1) == 't') {
                p += 2;
                cur = new Name("std");
                continue;
            } else if (c == 'S') {
                cur = substitution();
                continue;
            } else if (c == 'I') {
                if (cur == null) throw fail("template args without a name");
                Kind k = lastKind;
                List<DemangleNode> args = templateArgs();
                templateArgs = args;
                lastKind = k;
                cur = new Template(cur, args);
                template = true;
            } else if (c == 'T') {
                cur = templateParam();
            } else if (c == 'D' && (peek(1) == 't' || peek(1) == 'T')) {
                cur = decltype();
            } else if (c == 'M') {
                p++;
                continue;
            } else {
                DemangleNode u = unqualifiedName(cur);
                cur = cur == null ? u : new Nested(cur, u);
            }
            if (peek() != 'E') subs.add(cur);
        }
        if (cur == null) throw fail("empty nested name");
        nameQuals = quals;
        nameIsTemplate = template;
        return cur;
    }

    private DemangleNode localName() {
        expect('Z');
        DemangleNode fn = encoding();
        expect('E');
        DemangleNode entity;
        if (peek() == 's') {
            p++;
            entity = new Name("string literal");
            nameQuals = "";
            nameIsTemplate = false;
            lastKind = Kind.PLAIN;
        } else {
            if (peek() == 'd') {
                p++;
                if (peek() != '_') number();
                expect('_');
            }
            entity = name();
        }
        discriminator();
        return new Nested(fn, entity);
    }

    private void discriminator() {
        if (peek() != '_') return;
        if (peek(1) == '_') {
            p += 2;
            number();
            expect('_');
        } else if (Character.isDigit(peek(1))) {
            p += 2;
        }
    }

    private DemangleNode unqualifiedName(DemangleNode prefix) {
        lastKind = Kind.PLAIN;
        if (peek() == 'L') p++;
        char c = peek();
        DemangleNode n;
        if (Character.isDigit(c)) {
            n = sourceName();
        } else if (c == 'C' && (Character.isDigit(peek(1)) || peek(1) == 'I')) {
            if (prefix == null) throw fail("constructor without a class");
            p++;
            if (peek() == 'I') {
                p += 2;
                type();
            } else p++;
            n = new Name(prefix.baseName(budget));
            lastKind = Kind.CTOR_DTOR;
        } else if (c == 'D' && "01245".indexOf(peek(1)) >= 0) {
            if (prefix == null) throw fail("destructor without a class");
            p += 2;
            n = new Name("~" + prefix.baseName(budget));
            lastKind = Kind.CTOR_DTOR;
        } else if (c == 'D' && peek(1) == 'C') {
            p += 2;
            List<String> names = new ArrayList<>();
            while (peek() != 'E') names.add(sourceName().print(budget));
            p++;
            n = new Name("[" + String.join(", ", names) + "]");
        } else if (c == 'U' && peek(1) == 't') {
            p += 2;
            int k = peek() == '_' ? 1 : (int) number() + 2;
            expect('_');
            n = new Name("{unnamed type#" + k + "}");
        } else if (c == 'U' && peek(1) == 'l') {
            p += 2;
            List<DemangleNode> params = new ArrayList<>();
            while (peek() != 'E') params.add(type());
            p++;
            if (params.size() == 1 && params.get(0) == BUILTINS.get('v')) params.clear();
            int k = peek() == '_' ? 1 : (int) number() + 2;
            expect('_');
            DemangleOutput sb = new DemangleOutput(budget, Integer.MAX_VALUE).append("{lambda(");
            DemangleNode.joinList(sb, params);
            n = new Name(sb.append(")#").append(Integer.toString(k)).append('}').toString());
        } else if (Character.isLowerCase(c)) {
            n = operatorName();
        } else {
            throw fail("bad unqualified name");
        }
        while (peek() == 'B') {
            p++;
            n = new Decorated("", n, "[abi:" + sourceName().print(budget) + "]");
        }
        return n;
    }

    private DemangleNode operatorName() {
        if (consume("cv")) {
            DemangleNode t = type();
            lastKind = Kind.CONVERSION;
            return new Name("operator " + t.print(budget));
        }
        if (consume("li")) return new Name("operator\"\" " + sourceName().print(budget));
        if (peek() == 'v' && Character.isDigit(peek(1))) {
            p += 2;
            return new Name("operator " + sourceName().print(budget));
        }
        String[] o = OPERATORS.get(s.substring(p, Math.min(p + 2, s.length())));
        if (o == null) throw fail("unknown operator");
        p += 2;
        String text = o[0].trim();
        boolean word = Character.isLetter(text.charAt(0));
        return new Name("operator" + (word ? " " : "") + text);
    }

    private DemangleNode sourceName() {
        int len = (int) number();
        if (len <= 0 || p + len > s.length()) throw fail("bad source name length");
        String id = s.substring(p, p + len);
        p += len;
        if (id.startsWith("_GLOBAL_") && id.length() > 9 && "._$".indexOf(id.charAt(8)) >= 0 && id.charAt(9) == 'N') {
            return new Name("(anonymous namespace)");
        }
        return new Name(id);
    }

    private long number() {
        boolean neg = peek() == 'n';
        if (neg) p++;
        int start = p;
        while (Character.isDigit(peek())) p++;
        if (start == p) throw fail("expected a number");
        long v = Long.parseLong(s, start, p, 10);
        return neg ? -v : v;
    }

    private int seqId() {
        int v = 0, start = p;
        while (Character.isDigit(peek()) || Character.isUpperCase(peek())) {
            char c = s.charAt(p++);
            v = v * 36 + (Character.isDigit(c) ? c - '0' : c - 'A' + 10);
        }
        if (start == p) throw fail("expected a sequence id");
        return v;
    }

    private DemangleNode substitution() {
        expect('S');
        char c = peek();
        String[] special = switch (c) {
            case 'a' -> new String[] {"std::allocator", "allocator"};
            case 'b' -> new String[] {"std::basic_string", "basic_string"};
            case 's' ->
                new String[] {"std::basic_string<char, std::char_traits<char>, std::allocator<char> >", "basic_string"};
            case 'i' -> new String[] {"std::basic_istream<char, std::char_traits<char> >", "basic_istream"};
            case 'o' -> new String[] {"std::basic_ostream<char, std::char_traits<char> >", "basic_ostream"};
            case 'd' -> new String[] {"std::basic_iostream<char, std::char_traits<char> >", "basic_iostream"};
            default -> null;
        };
        if (special != null) {
            p++;
            // c++filt (verbose by default) spells the full type: std::basic_string<char, ...>
            return new Name(special[0], special[1]);
        }
        int idx = c == '_' ? 0 : seqId() + 1;
        expect('_');
        if (idx >= subs.size()) throw fail("substitution out of range");
        return subs.get(idx);
    }

    private DemangleNode templateParam() {
        expect('T');
        int idx = peek() == '_' ? 0 : (int) number() + 1;
        expect('_');
        if (idx >= templateArgs.size()) throw fail("template parameter out of range");
        return new Forward(templateArgs.get(idx));
    }

    private List<DemangleNode> templateArgs() {
        expect('I');
        List<DemangleNode> args = new ArrayList<>();
        while (peek() != 'E') {
            if (peek() == '\0') throw fail("unterminated template args");
            args.add(templateArg());
        }
        p++;
        return args;
    }

    private DemangleNode templateArg() {
        enter();
        try {
            return templateArgOnce();
        } finally {
            depth--;
        }
    }

    private DemangleNode templateArgOnce() {
        char c = peek();
        if (c == 'L') return exprPrimary();
        if (c == 'X') {
            p++;
            DemangleNode e = expression();
            expect('E');
            return e;
        }
        if (c == 'J') {
            p++;
            List<DemangleNode> items = new ArrayList<>();
            while (peek() != 'E') items.add(templateArg());
            p++;
            return new Pack(items);
        }
        return type();
    }

    private String cvQualifiers() {
        boolean r = false, v = false, k = false;
        while (true) {
            char c = peek();
            if (c == 'r') r = true;
            else if (c == 'V') v = true;
            else if (c == 'K') k = true;
            else break;
            p++;
        }
        return (k ? " const" : "") + (v ? " volatile" : "") + (r ? " restrict" : "");
    }

    /** A type; template arguments met inside it do not change what T_ means outside it. */
    private DemangleNode type() {
        List<DemangleNode> saved = templateArgs;
        enter();
        try {
            return typeInner();
        } finally {
            templateArgs = saved;
            depth--;
        }
    }

    private DemangleNode typeInner() {
        char c = peek();
        Name builtin = BUILTINS.get(c);
        if (builtin != null) {
            p++;
            return builtin;
        }
        DemangleNode t;
        switch (c) {
            case 'r', 'V', 'K' -> {
                String q = cvQualifiers();
                t = new Qualified(type(), q);
            }
            case 'P' -> {
                p++;
                t = new Pointer(type(), "*");
            }
            case 'R' -> {
                p++;
                t = new Pointer(type(), "&");
            }
            case 'O' -> {
                p++;
                t = new Pointer(type(), "&&");
            }
            case 'C' -> {
                p++;
                t = new Qualified(type(), " _Complex");
            }
            case 'G' -> {
                p++;
                t = new Qualified(type(), " _Imaginary");
            }
            case 'u' -> {
                p++;
                t = sourceName();
            }
            case 'F' -> t = functionType();
            case 'A' -> t = arrayType();
            case 'M' -> {
                p++;
                DemangleNode cls = type();
                t = new MemberPointer(cls, type());
            }
            case 'T' -> {
                t = templateParam();
                if (peek() == 'I') {
                    subs.add(t);
                    t = new Template(t, templateArgs());
                }
            }
            case 'S' -> {
                if (peek(1) == 't') {
                    t = name();
                } else {
                    t = substitution();
                    if (peek() != 'I') return t;
                    t = new Template(t, templateArgs());
                }
            }
            case 'D' -> {
                Name db = D_BUILTINS.get(peek(1));
                if (db != null) {
                    p += 2;
                    return db;
                }
                if (peek(1) == 'p') {
                    p += 2;
                    t = new Decorated("", type(), "...");
                } else if (peek(1) == 't' || peek(1) == 'T') {
                    t = decltype();
                } else if (peek(1) == 'v') {
                    p += 2;
                    String dim = Character.isDigit(peek()) ? Long.toString(number()) : "";
                    expect('_');
                    t = new Decorated("", type(), " __vector(" + dim + ")");
                } else if (peek(1) == 'F') {
                    p += 2;
                    long bits = number();
                    expect('_');
                    return new Name("_Float" + bits);
                } else throw fail("unknown D type");
            }
            case 'N', 'Z', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> t = name();
            default -> throw fail("unknown type");
        }
        subs.add(t);
        return t;
    }

    private DemangleNode functionType() {
        expect('F');
        if (peek() == 'Y') p++;
        DemangleNode ret = type();
        List<DemangleNode> params = new ArrayList<>();
        String ref = "";
        while (peek() != 'E') {
            if (peek() == '\0') throw fail("unterminated function type");
            if ((peek() == 'R' || peek() == 'O') && peek(1) == 'E') {
                ref = peek() == 'R' ? " &" : " &&";
                p++;
                continue;
            }
            params.add(type());
        }
        p++;
        if (params.size() == 1 && params.get(0) == BUILTINS.get('v')) params.clear();
        return new FunctionType(ret, params, ref);
    }

    private DemangleNode arrayType() {
        expect('A');
        String dim;
        if (Character.isDigit(peek())) dim = Long.toString(number());
        else if (peek() == '_') dim = "";
        else dim = expression().print(budget);
        expect('_');
        return new ArrayType(type(), dim);
    }

    private DemangleNode decltype() {
        p += 2;
        DemangleNode e = expression();
        expect('E');
        return new Decorated("decltype (", e, ")");
    }

    private DemangleNode exprPrimary() {
        expect('L');
        if (consume("_Z")) {
            DemangleNode e = encoding();
            expect('E');
            return e;
        }
        DemangleNode t = type();
        int start = p;
        while (peek() != 'E') {
            if (peek() == '\0') throw fail("unterminated literal");
            p++;
        }
        String value = s.substring(start, p);
        p++;
        if (value.startsWith("n")) value = "-" + value.substring(1);
        if (t == BUILTINS.get('b') && (value.equals("0") || value.equals("1")))
            return new Name(value.equals("0") ? "false" : "true");
        for (Map.Entry<Character, String> e : LITERAL_SUFFIX.entrySet()) {
            if (t == BUILTINS.get(e.getKey())) return new Name(value + e.getValue());
        }
        if (t == D_BUILTINS.get('n')) return new Name("nullptr");
        return new Name("(" + t.print(budget) + ")" + value);
    }

    private DemangleNode expression() {
        enter();
        try {
            return expressionOnce();
        } finally {
            depth--;
        }
    }

    private DemangleNode expressionOnce() {
        char c = peek();
        if (c == 'T') return templateParam();
        if (c == 'L') return exprPrimary();
        if (c == 'f' && peek(1) == 'p') {
            p += 2;
            cvQualifiers();
            int k = peek() == '_' ? 1 : (int) number() + 2;
            expect('_');
            return new Name("{parm#" + k + "}");
        }
        if (consume("sr")) {
            DemangleNode scope = type();
            DemangleNode member = unqualifiedName(scope);
            DemangleNode n = new Nested(scope, member);
            if (peek() == 'I') n = new Template(n, templateArgs());
            return n;
        }
        if (s.startsWith("adL_Z", p)) {
            // c++filt shows the address of a member function as &A::f (pointer-to-member syntax),
            // that of any other function with its parameters: &(f(int))
            p += 5;
            DemangleNode e = encoding();
            expect('E');
            if (e instanceof Function f && f.name instanceof Nested) return new Decorated("&", f.name, "");
            return new Decorated("&(", e, ")");
        }
        if (consume("st")) return new Decorated("sizeof (", type(), ")");
        if (consume("at")) return new Decorated("alignof (", type(), ")");
        if (consume("sp")) return new Decorated("", expression(), "...");
        if (consume("cv")) {
            DemangleNode t = type();
            DemangleNode e = expression();
            return new Name("(" + t.print(budget) + ")(" + e.print(budget) + ")");
        }
        if (consume("cl")) {
            DemangleNode fn = expression();
            List<DemangleNode> args = new ArrayList<>();
            while (peek() != 'E') args.add(expression());
            p++;
            DemangleOutput sb = new DemangleOutput(budget, Integer.MAX_VALUE)
                    .append(fn.print(budget))
                    .append('(');
            DemangleNode.joinList(sb, args);
            return new Name(sb.append(')').toString());
        }
        String[] o = OPERATORS.get(s.substring(p, Math.min(p + 2, s.length())));
        if (o != null) {
            p += 2;
            int arity = Integer.parseInt(o[1]);
            if (arity == 1) {
                DemangleNode a = expression();
                return new Name(o[0] + "(" + a.print(budget) + ")");
            }
            if (arity == 2) {
                DemangleNode a = expression(), b = expression();
                return new Name("(" + a.print(budget) + ")" + o[0] + "(" + b.print(budget) + ")");
            }
            DemangleNode a = expression(), b = expression(), d = expression();
            return new Name("(" + a.print(budget) + ")?(" + b.print(budget) + "):(" + d.print(budget) + ")");
        }
        if (Character.isDigit(c)) return sourceName();
        throw fail("unsupported expression");
    }
}
