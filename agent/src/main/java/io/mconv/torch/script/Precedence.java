package io.mconv.torch.script;

import java.util.Map;

/** Python's operator precedence, loosest first, as the levels {@link ExpressionParser} climbs. */
final class Precedence {

    static final int NONE = -1;
    static final int OR = 1;
    static final int AND = 2;
    /** Prefix {@code not}: its operand is a comparison or tighter. */
    static final int NOT = 3;
    static final int COMPARISON = 4;
    static final int BIT_OR = 5;
    static final int BIT_XOR = 6;
    static final int BIT_AND = 7;
    static final int SHIFT = 8;
    static final int ADDITIVE = 9;
    static final int MULTIPLICATIVE = 10;
    /** Prefix {@code - + ~}. */
    static final int UNARY = 11;
    static final int POWER = 12;

    private static final Map<String, Integer> OPERATORS = Map.ofEntries(
            Map.entry("<", COMPARISON), Map.entry(">", COMPARISON), Map.entry("==", COMPARISON),
            Map.entry(">=", COMPARISON), Map.entry("<=", COMPARISON), Map.entry("!=", COMPARISON),
            Map.entry("|", BIT_OR), Map.entry("^", BIT_XOR), Map.entry("&", BIT_AND),
            Map.entry("<<", SHIFT), Map.entry(">>", SHIFT), Map.entry("+", ADDITIVE), Map.entry("-", ADDITIVE),
            Map.entry("*", MULTIPLICATIVE), Map.entry("/", MULTIPLICATIVE), Map.entry("//", MULTIPLICATIVE),
            Map.entry("%", MULTIPLICATIVE), Map.entry("@", MULTIPLICATIVE), Map.entry("**", POWER));

    private Precedence() {
    }

    /**
     * The precedence of {@code t} used as a binary operator ({@code next} tells {@code not in} from a stray
     * {@code not}), or {@link #NONE} when it is not one.
     */
    static int binary(Token t, Token next) {
        if (t.kind() == TokenKind.OP) {
            return OPERATORS.getOrDefault(t.text(), NONE);
        }
        if (t.kind() != TokenKind.NAME) {
            return NONE;
        }
        return switch (t.text()) {
            case "or" -> OR;
            case "and" -> AND;
            case "in", "is" -> COMPARISON;
            case "not" -> next.isName("in") ? COMPARISON : NONE;
            default -> NONE;
        };
    }
}
