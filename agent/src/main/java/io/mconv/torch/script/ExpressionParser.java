package io.mconv.torch.script;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses expressions with Python's precedence, lowest first: {@code x if c else y}, {@code or}, {@code and},
 * {@code not}, comparisons (chained), {@code |}, {@code ^}, {@code &}, shifts, {@code + -},
 * {@code * / // % @}, unary {@code - + ~}, {@code **} (right-associative; binds tighter than a unary operator on
 * its left, looser than one on its right), then calls, attributes and subscripts.
 */
final class ExpressionParser {

    /** The binary operator levels between comparisons and unary operators, loosest first. */
    private static final List<Set<String>> BINARY_LEVELS = List.of(
            Set.of("|"), Set.of("^"), Set.of("&"), Set.of("<<", ">>"), Set.of("+", "-"),
            Set.of("*", "/", "//", "%", "@"));
    private static final Set<String> COMPARISON_OPS = Set.of("<", ">", "==", ">=", "<=", "!=");
    private static final BigInteger LONG_MIN_MAGNITUDE = BigInteger.valueOf(Long.MIN_VALUE).negate();

    private final TokenStream tokens;
    private final NestingGuard guard;

    ExpressionParser(TokenStream tokens, NestingGuard guard) {
        this.tokens = tokens;
        this.guard = guard;
    }

    /** {@code test}: a full expression, conditional expressions included. */
    Expr test() {
        Token start = tokens.peek();
        guard.enter(start);
        Expr body = orTest();
        if (tokens.acceptKeyword("if")) {
            Expr condition = orTest();
            tokens.expectKeyword("else");
            Expr orElse = test();
            body = new Expr.IfExp(condition, body, orElse, body.pos());
        }
        guard.leave();
        return body;
    }

    /** A test or a starred expression ({@code *xs}) as allowed in tuples, lists and call arguments. */
    Expr testOrStar() {
        return tokens.atOp("*") ? starred() : test();
    }

    /**
     * One or more comma-separated tests or starred expressions: a single one as is, several (or one with a
     * trailing comma) as a bare {@link Expr.TupleExpr} positioned at its first element.
     */
    Expr testListStar() {
        Expr first = testOrStar();
        if (!tokens.atOp(",")) {
            return first;
        }
        List<Expr> elements = new ArrayList<>();
        elements.add(first);
        while (tokens.acceptOp(",") && startsExpression()) {
            elements.add(testOrStar());
        }
        return new Expr.TupleExpr(elements, first.pos());
    }

    /**
     * The target list of a {@code for}: expressions without comparisons (so that {@code in} ends it), as a
     * tuple when there are commas.
     */
    Expr exprList() {
        Expr first = exprOrStar();
        if (!tokens.atOp(",")) {
            return first;
        }
        List<Expr> elements = new ArrayList<>();
        elements.add(first);
        while (tokens.acceptOp(",") && startsExpression()) {
            elements.add(exprOrStar());
        }
        return new Expr.TupleExpr(elements, first.pos());
    }

    /** Whether the current token can begin an expression (used after a possibly trailing comma). */
    boolean startsExpression() {
        Token t = tokens.peek();
        return switch (t.kind()) {
            case NAME -> !TokenStream.KEYWORDS.contains(t.text()) || Set.of("None", "True", "False", "not")
                    .contains(t.text());
            case INT, FLOAT, STRING, BYTES -> true;
            case OP -> Set.of("(", "[", "{", "-", "+", "~", "*").contains(t.text());
            default -> false;
        };
    }

    private Expr exprOrStar() {
        return tokens.atOp("*") ? starred() : binary(0);
    }

    private Expr starred() {
        Token star = tokens.expectOp("*");
        guard.enter(star);
        Expr value = binary(0);
        guard.leave();
        return new Expr.Starred(value, star.pos());
    }

    private Expr orTest() {
        return boolChain("or", this::andTest);
    }

    private Expr andTest() {
        return boolChain("and", this::notTest);
    }

    private Expr boolChain(String op, java.util.function.Supplier<Expr> operand) {
        Expr first = operand.get();
        if (!tokens.atKeyword(op)) {
            return first;
        }
        List<Expr> values = new ArrayList<>();
        values.add(first);
        while (tokens.acceptKeyword(op)) {
            values.add(operand.get());
        }
        return new Expr.BoolOp(op, values, first.pos());
    }

    private Expr notTest() {
        if (!tokens.atKeyword("not")) {
            return comparison();
        }
        Token not = tokens.next();
        guard.enter(not);
        Expr operand = notTest();
        guard.leave();
        return new Expr.UnaryOp("not", operand, not.pos());
    }

    private Expr comparison() {
        Expr first = binary(0);
        List<String> ops = new ArrayList<>();
        List<Expr> operands = new ArrayList<>();
        operands.add(first);
        String op;
        while ((op = comparisonOperator()) != null) {
            ops.add(op);
            operands.add(binary(0));
        }
        return ops.isEmpty() ? first : new Expr.Compare(operands, ops, first.pos());
    }

    /** Consumes a comparison operator ({@code not in} and {@code is not} are two tokens) or returns null. */
    private String comparisonOperator() {
        Token t = tokens.peek();
        if (t.kind() == TokenKind.OP && COMPARISON_OPS.contains(t.text())) {
            tokens.next();
            return t.text();
        }
        if (t.isName("in")) {
            tokens.next();
            return "in";
        }
        if (t.isName("not") && tokens.peek(1).isName("in")) {
            tokens.next();
            tokens.next();
            return "not in";
        }
        if (t.isName("is")) {
            tokens.next();
            return tokens.acceptKeyword("not") ? "is not" : "is";
        }
        return null;
    }

    /** Left-associative binary operators of {@code BINARY_LEVELS[level]} and tighter. */
    private Expr binary(int level) {
        if (level == BINARY_LEVELS.size()) {
            return unary();
        }
        Set<String> ops = BINARY_LEVELS.get(level);
        Expr left = binary(level + 1);
        int nested = 0;
        while (tokens.peek().kind() == TokenKind.OP && ops.contains(tokens.peek().text())) {
            Token op = tokens.next();
            guard.enter(op); // a chain a+b+c nests to the left: each link is one more level of tree
            nested++;
            Expr right = binary(level + 1);
            left = new Expr.BinOp(left, op.text(), right, left.pos());
        }
        guard.leave(nested);
        return left;
    }

    private Expr unary() {
        Token t = tokens.peek();
        if (!(t.isOp("-") || t.isOp("+") || t.isOp("~"))) {
            return power();
        }
        tokens.next();
        if (t.isOp("-") && isLongMinMagnitude(tokens.peek()) && !tokens.peek(1).isOp("**")) {
            // -9223372036854775808 is a valid int64 whose magnitude alone is not; torch writes it this way
            tokens.next();
            return new Expr.Literal(Long.MIN_VALUE, t.pos());
        }
        guard.enter(t);
        Expr operand = unary();
        guard.leave();
        return new Expr.UnaryOp(t.text(), operand, t.pos());
    }

    private static boolean isLongMinMagnitude(Token t) {
        return t.kind() == TokenKind.INT && LONG_MIN_MAGNITUDE.equals(t.value());
    }

    private Expr power() {
        Expr base = postfix();
        if (!tokens.atOp("**")) {
            return base;
        }
        Token op = tokens.next();
        guard.enter(op);
        Expr exponent = unary();
        guard.leave();
        return new Expr.BinOp(base, "**", exponent, base.pos());
    }

    /** An atom followed by calls, attribute accesses and subscripts. */
    private Expr postfix() {
        Expr e = atom();
        int nested = 0;
        while (true) {
            Token t = tokens.peek();
            if (t.isOp("(")) {
                guard.enter(t);
                nested++;
                e = call(e);
            } else if (t.isOp("[")) {
                guard.enter(t);
                nested++;
                e = subscript(e);
            } else if (t.isOp(".")) {
                guard.enter(t);
                nested++;
                tokens.next();
                // keywords are allowed after the dot: attributes of torch classes are not bound by Python rules
                Token name = tokens.expect(TokenKind.NAME, "an attribute name after '.'");
                e = new Expr.Attribute(e, name.text(), e.pos());
            } else {
                break;
            }
        }
        guard.leave(nested);
        return e;
    }

    private Expr call(Expr func) {
        tokens.expectOp("(");
        List<Expr> args = new ArrayList<>();
        List<Expr.Keyword> keywords = new ArrayList<>();
        while (!tokens.atOp(")")) {
            Token t = tokens.peek();
            if (t.isOp("**")) {
                throw TokenStream.error(t, "'**' unpacking in calls is not supported");
            }
            if (t.kind() == TokenKind.NAME && tokens.peek(1).isOp("=")) {
                Token name = tokens.expectIdentifier("a keyword argument name");
                tokens.expectOp("=");
                keywords.add(new Expr.Keyword(name.text(), test()));
            } else {
                if (!keywords.isEmpty()) {
                    throw TokenStream.error(t, "positional argument follows keyword argument");
                }
                args.add(testOrStar());
            }
            if (!tokens.acceptOp(",")) {
                break;
            }
        }
        tokens.expectOp(")");
        return new Expr.Call(func, args, keywords, func.pos());
    }

    private Expr subscript(Expr value) {
        Token open = tokens.expectOp("[");
        Expr first = subscriptItem();
        Expr index = first;
        if (tokens.atOp(",")) {
            List<Expr> items = new ArrayList<>();
            items.add(first);
            while (tokens.acceptOp(",") && !tokens.atOp("]")) {
                items.add(subscriptItem());
            }
            index = new Expr.TupleExpr(items, first.pos());
        }
        if (!tokens.atOp("]")) {
            throw tokens.unexpected("']' to close the '[' at " + open.pos().line() + ":" + open.pos().column());
        }
        tokens.next();
        return new Expr.Subscript(value, index, value.pos());
    }

    /** {@code test} or a slice {@code [lower]:[upper][:[step]]}. */
    private Expr subscriptItem() {
        Token start = tokens.peek();
        Expr lower = tokens.atOp(":") ? null : test();
        if (!tokens.atOp(":")) {
            if (lower == null) {
                throw tokens.unexpected("an index");
            }
            return lower;
        }
        tokens.next();
        Expr upper = endsSlicePart() ? null : test();
        Expr step = null;
        if (tokens.acceptOp(":")) {
            step = endsSlicePart() ? null : test();
        }
        return new Expr.Slice(lower, upper, step, lower != null ? lower.pos() : start.pos());
    }

    private boolean endsSlicePart() {
        return tokens.atOp(":") || tokens.atOp(",") || tokens.atOp("]");
    }

    private Expr atom() {
        Token t = tokens.peek();
        switch (t.kind()) {
            case NAME:
                return name(t);
            case INT:
                tokens.next();
                return new Expr.Literal(toLong(t), t.pos());
            case FLOAT:
                tokens.next();
                return new Expr.Literal(t.value(), t.pos());
            case STRING:
                return strings();
            case BYTES:
                throw TokenStream.error(t, "bytes literals are not part of TorchScript");
            case OP:
                if (t.isOp("(")) {
                    return parenthesized();
                }
                if (t.isOp("[")) {
                    return list();
                }
                if (t.isOp("{")) {
                    return dict();
                }
                break;
            default:
                break;
        }
        throw tokens.unexpected("an expression");
    }

    private Expr name(Token t) {
        switch (t.text()) {
            case "None":
                tokens.next();
                return new Expr.Literal(null, t.pos());
            case "True":
                tokens.next();
                return new Expr.Literal(Boolean.TRUE, t.pos());
            case "False":
                tokens.next();
                return new Expr.Literal(Boolean.FALSE, t.pos());
            case "lambda":
                throw TokenStream.error(t, "lambda expressions are not part of TorchScript");
            case "yield", "await":
                throw TokenStream.error(t, "'" + t.text() + "' is not part of TorchScript");
            default:
                Token id = tokens.expectIdentifier("an expression");
                return new Expr.Name(id.text(), id.pos());
        }
    }

    private static long toLong(Token t) {
        BigInteger value = (BigInteger) t.value();
        if (value.bitLength() > 63) {
            throw TokenStream.error(t, "integer literal " + t.text() + " does not fit in 64 bits");
        }
        return value.longValue();
    }

    /** Adjacent string literals concatenate, as in Python. */
    private Expr strings() {
        Token first = tokens.next();
        StringBuilder value = new StringBuilder((String) first.value());
        while (tokens.at(TokenKind.STRING) || tokens.at(TokenKind.BYTES)) {
            Token t = tokens.next();
            if (t.kind() == TokenKind.BYTES) {
                throw TokenStream.error(t, "bytes literals are not part of TorchScript");
            }
            value.append((String) t.value());
        }
        return new Expr.Literal(value.toString(), first.pos());
    }

    /** {@code ()}, {@code (x)} (just x), {@code (x,)} and {@code (x, y)}. */
    private Expr parenthesized() {
        Token open = tokens.expectOp("(");
        guard.enter(open);
        if (tokens.acceptOp(")")) {
            guard.leave();
            return new Expr.TupleExpr(List.of(), open.pos());
        }
        Expr first = testOrStar();
        rejectComprehension();
        Expr result = first;
        if (tokens.atOp(",")) {
            List<Expr> elements = new ArrayList<>();
            elements.add(first);
            while (tokens.acceptOp(",") && !tokens.atOp(")")) {
                elements.add(testOrStar());
            }
            result = new Expr.TupleExpr(elements, open.pos());
        } else if (first instanceof Expr.Starred) {
            throw TokenStream.error(open, "a starred expression needs a tuple: write (*x,)");
        }
        closing(open, ")");
        guard.leave();
        return result;
    }

    private Expr list() {
        Token open = tokens.expectOp("[");
        guard.enter(open);
        List<Expr> elements = new ArrayList<>();
        while (!tokens.atOp("]")) {
            elements.add(testOrStar());
            if (elements.size() == 1) {
                rejectComprehension();
            }
            if (!tokens.acceptOp(",")) {
                break;
            }
        }
        closing(open, "]");
        guard.leave();
        return new Expr.ListExpr(elements, open.pos());
    }

    private Expr dict() {
        Token open = tokens.expectOp("{");
        guard.enter(open);
        List<Expr> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (!tokens.atOp("}")) {
            if (tokens.atOp("**")) {
                throw TokenStream.error(tokens.peek(), "'**' unpacking in dict displays is not supported");
            }
            keys.add(test());
            if (!tokens.atOp(":")) {
                throw tokens.atOp(",") || tokens.atOp("}")
                        ? TokenStream.error(open, "set displays are not part of TorchScript")
                        : tokens.unexpected("':' after a dict key");
            }
            tokens.next();
            values.add(test());
            if (keys.size() == 1) {
                rejectComprehension();
            }
            if (!tokens.acceptOp(",")) {
                break;
            }
        }
        closing(open, "}");
        guard.leave();
        return new Expr.DictExpr(keys, values, open.pos());
    }

    private void rejectComprehension() {
        if (tokens.atKeyword("for")) {
            throw TokenStream.error(tokens.peek(), "comprehensions are not supported (torch serializes them as "
                    + "loops)");
        }
    }

    private void closing(Token open, String close) {
        if (!tokens.atOp(close)) {
            throw tokens.unexpected("',' or '" + close + "' to close the '" + open.text() + "' at "
                    + open.pos().line() + ":" + open.pos().column());
        }
        tokens.next();
    }
}
