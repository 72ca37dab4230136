package io.mconv.passes.opset;

import io.mconv.ir.Attribute;
import io.mconv.ir.Node;

/** Reading a node's attributes as set on it, with the caller's default: adapters compare forms, not schemas. */
final class Attrs {

    private Attrs() {
    }

    static long intOr(Node n, String name, long otherwise) {
        return n.attribute(name).map(Attribute::asInt).orElse(otherwise);
    }

    static float floatOr(Node n, String name, float otherwise) {
        return n.attribute(name).map(Attribute::asFloat).orElse(otherwise);
    }

    static String stringOr(Node n, String name, String otherwise) {
        return n.attribute(name).map(Attribute::asString).orElse(otherwise);
    }

    /** The ints, or null when the attribute is absent. */
    static long[] ints(Node n, String name) {
        return n.attribute(name).map(Attribute::asInts).orElse(null);
    }

    /** Removes the attribute after checking it holds the value the other form implies. */
    static void dropIfInt(Node n, String name, long required, String why) {
        if (intOr(n, name, required) != required) {
            throw new Refusal(name + "=" + intOr(n, name, required) + " " + why);
        }
        n.removeAttribute(name);
    }
}
