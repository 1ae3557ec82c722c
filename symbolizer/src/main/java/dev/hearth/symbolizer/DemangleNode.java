package dev.hearth.symbolizer;

import java.util.List;

/**
 * The parsed form of an Itanium-mangled name, printed in the style of GNU c++filt. Types print in two
 * halves around a declarator, so a pointer to a function reads {@code void (*)(int)}.
 */
abstract class DemangleNode {
    /** Deeper than any real name (libjvm's deepest is about 20), shallow enough for a 512 KiB thread stack. */
    static final int MAX_DEPTH = 256;

    abstract void left(DemangleOutput out);

    void right(DemangleOutput out) {}

    /** Types such as functions and arrays put part of themselves after the declarator. */
    boolean hasRight() {
        return false;
    }

    /** Nesting of this node: printing recurses this deep, so it is bounded when a node is made. */
    final int depth;

    DemangleNode(int depth) {
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("name nested too deeply");
        this.depth = depth;
    }

    static int depth(DemangleNode... children) {
        int d = 0;
        for (DemangleNode c : children) if (c != null) d = Math.max(d, c.depth);
        return d + 1;
    }

    static int depth(List<DemangleNode> children) {
        int d = 0;
        for (DemangleNode c : children) d = Math.max(d, c.depth);
        return d + 1;
    }

    /** The whole text, drawing on {@code budget}. */
    final String print(DemangleOutput.Budget budget) {
        DemangleOutput out = new DemangleOutput(budget, Integer.MAX_VALUE);
        left(out);
        right(out);
        return out.toString();
    }

    /** The unqualified name for a constructor or destructor of this class name. */
    String baseName(DemangleOutput.Budget budget) {
        return print(budget);
    }

    static final class Name extends DemangleNode {
        final String text;
        final String ctorName;

        Name(String text) {
            this(text, text);
        }

        Name(String text, String ctorName) {
            super(1);
            this.text = text;
            this.ctorName = ctorName;
        }

        @Override
        void left(DemangleOutput out) {
            out.append(text);
        }

        @Override
        String baseName(DemangleOutput.Budget budget) {
            return ctorName;
        }
    }

    /** {@code prefix::name} */
    static final class Nested extends DemangleNode {
        final DemangleNode prefix, name;

        Nested(DemangleNode prefix, DemangleNode name) {
            super(depth(prefix, name));
            this.prefix = prefix;
            this.name = name;
        }

        @Override
        void left(DemangleOutput out) {
            prefix.left(out);
            prefix.right(out);
            out.append("::");
            name.left(out);
        }

        @Override
        String baseName(DemangleOutput.Budget budget) {
            return name.baseName(budget);
        }
    }

    static final class Template extends DemangleNode {
        final DemangleNode name;
        final List<DemangleNode> args;

        Template(DemangleNode name, List<DemangleNode> args) {
            super(Math.max(depth(name), depth(args)));
            this.name = name;
            this.args = args;
        }

        @Override
        void left(DemangleOutput out) {
            name.left(out);
            if (out.last() == '<') out.append(' ');
            printArgs(out, args);
        }

        static void printArgs(DemangleOutput out, List<DemangleNode> args) {
            out.append('<');
            joinList(out, args);
            if (out.last() == '>') out.append(' ');
            out.append('>');
        }

        @Override
        String baseName(DemangleOutput.Budget budget) {
            return name.baseName(budget);
        }
    }

    static void joinList(DemangleOutput out, List<DemangleNode> items) {
        boolean first = true;
        for (DemangleNode a : items) {
            out.visit();
            if (a instanceof Pack p && p.items.isEmpty()) continue;
            if (!first) out.append(", ");
            first = false;
            a.left(out);
            a.right(out);
        }
    }

    /** A template argument pack, printed as its elements. */
    static final class Pack extends DemangleNode {
        final List<DemangleNode> items;

        Pack(List<DemangleNode> items) {
            super(depth(items));
            this.items = items;
        }

        @Override
        void left(DemangleOutput out) {
            joinList(out, items);
        }
    }

    /** A template parameter resolved to its argument. */
    static final class Forward extends DemangleNode {
        final DemangleNode target;

        Forward(DemangleNode target) {
            super(depth(target));
            this.target = target;
        }

        @Override
        void left(DemangleOutput out) {
            target.left(out);
        }

        @Override
        void right(DemangleOutput out) {
            target.right(out);
        }

        @Override
        boolean hasRight() {
            return target.hasRight();
        }

        @Override
        String baseName(DemangleOutput.Budget budget) {
            return target.baseName(budget);
        }
    }

    /** A type with a suffix: const, volatile, restrict, or a vendor qualifier. */
    static final class Qualified extends DemangleNode {
        final DemangleNode inner;
        final String quals;

        Qualified(DemangleNode inner, String quals) {
            super(depth(inner));
            this.inner = inner;
            this.quals = quals;
        }

        @Override
        void left(DemangleOutput out) {
            inner.left(out);
            if (!inner.hasRight()) out.append(quals);
        }

        @Override
        void right(DemangleOutput out) {
            inner.right(out);
            if (inner.hasRight()) out.append(quals);
        }

        @Override
        boolean hasRight() {
            return inner.hasRight();
        }
    }

    /** Pointer, reference or rvalue reference. */
    static final class Pointer extends DemangleNode {
        final DemangleNode pointee;
        final String op;

        Pointer(DemangleNode pointee, String op) {
            super(depth(pointee));
            this.pointee = pointee;
            this.op = op;
        }

        /** Only a pointer straight to a function or array needs parentheses: {@code void (*)(int)}. */
        private boolean parenthesize() {
            DemangleNode t = pointee;
            while (t instanceof Forward f) t = f.target;
            return t instanceof FunctionType || t instanceof ArrayType;
        }

        @Override
        void left(DemangleOutput out) {
            pointee.left(out);
            if (parenthesize()) {
                char last = out.last();
                if (last != '(' && last != ' ') out.append(' ');
                out.append('(');
            }
            out.append(op);
        }

        @Override
        void right(DemangleOutput out) {
            if (parenthesize()) out.append(')');
            pointee.right(out);
        }

        @Override
        boolean hasRight() {
            return pointee.hasRight();
        }
    }

    /** Pointer to member: {@code int A::*} or {@code void (A::*)(int)}. */
    static final class MemberPointer extends DemangleNode {
        final DemangleNode cls, member;

        MemberPointer(DemangleNode cls, DemangleNode member) {
            super(depth(cls, member));
            this.cls = cls;
            this.member = member;
        }

        @Override
        void left(DemangleOutput out) {
            member.left(out);
            if (member.hasRight()) out.append('(');
            else out.append(' ');
            cls.left(out);
            cls.right(out);
            out.append("::*");
        }

        @Override
        void right(DemangleOutput out) {
            if (member.hasRight()) {
                out.append(')');
                member.right(out);
            }
        }

        @Override
        boolean hasRight() {
            return member.hasRight();
        }
    }

    static final class FunctionType extends DemangleNode {
        final DemangleNode ret;
        final List<DemangleNode> params;
        final String quals;

        FunctionType(DemangleNode ret, List<DemangleNode> params, String quals) {
            super(Math.max(depth(ret), depth(params)));
            this.ret = ret;
            this.params = params;
            this.quals = quals;
        }

        @Override
        void left(DemangleOutput out) {
            ret.left(out);
            ret.right(out);
            out.append(' ');
        }

        @Override
        void right(DemangleOutput out) {
            out.append('(');
            joinList(out, params);
            out.append(')');
            out.append(quals);
        }

        @Override
        boolean hasRight() {
            return true;
        }
    }

    static final class ArrayType extends DemangleNode {
        final DemangleNode elem;
        final String dim;

        ArrayType(DemangleNode elem, String dim) {
            super(depth(elem));
            this.elem = elem;
            this.dim = dim;
        }

        @Override
        void left(DemangleOutput out) {
            elem.left(out);
            out.append(' ');
        }

        @Override
        void right(DemangleOutput out) {
            if (out.last() == ')') out.append(' ');
            out.append('[').append(dim).append(']');
            elem.right(out);
        }

        @Override
        boolean hasRight() {
            return true;
        }
    }

    /** A function: {@code ret name(params) quals}; return type only for templates. */
    static final class Function extends DemangleNode {
        final DemangleNode name, ret;
        final List<DemangleNode> params;
        final String quals;

        Function(DemangleNode name, DemangleNode ret, List<DemangleNode> params, String quals) {
            super(Math.max(depth(name, ret), depth(params)));
            this.name = name;
            this.ret = ret;
            this.params = params;
            this.quals = quals;
        }

        @Override
        void left(DemangleOutput out) {
            if (ret != null) {
                ret.left(out);
                if (!ret.hasRight()) out.append(' ');
            }
            name.left(out);
            out.append('(');
            joinList(out, params);
            out.append(')');
            out.append(quals);
            if (ret != null) ret.right(out);
        }
    }

    /** Wraps a name with text before and after: "vtable for X", "{lambda(int)#1}", "[abi:cxx11]". */
    static final class Decorated extends DemangleNode {
        final String before, after;
        final DemangleNode inner;

        Decorated(String before, DemangleNode inner, String after) {
            super(depth(inner));
            this.before = before;
            this.inner = inner;
            this.after = after;
        }

        @Override
        void left(DemangleOutput out) {
            out.append(before);
            if (inner != null) {
                inner.left(out);
                inner.right(out);
            }
            out.append(after);
        }

        @Override
        String baseName(DemangleOutput.Budget budget) {
            return inner != null && before.isEmpty() ? inner.baseName(budget) : print(budget);
        }
    }
}
