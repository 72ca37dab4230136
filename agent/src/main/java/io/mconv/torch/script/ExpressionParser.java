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
 *
 * <p>Every construct that can hold a further expression (brackets, calls, subscripts, attributes, operators,
 * conditional and starred expressions) enters the {@link NestingGuard} once, so each cycle of the recursion is
 * counted and the count tracks the depth of the resulting tree.
 */
final class ExpressionParser {

    private static final BigInteger LONG_MIN_MAGNITUDE = BigInteger.valueOf(Long.MIN_VALUE).negate();

    private final TokenStream tokens;
    private final NestingGuard guard;

    ExpressionParser(TokenStream tokens, NestingGuard guard) {
        this.tokens = tokens;
        this.guard = guard;
    }

    /** {@code test}: a full expression, conditional expressions included. */
    Expr test() {
        Expr body = operators(Precedence.OR);
        if (!tokens.atKeyword("if")) {
            return body;
        }
        Token keyword = tokens.next();
        guard.enter(keyword);
        Expr condition = operators(Precedence.OR);
        tokens.expectKeyword("else");
        Expr orElse = test();
        guard.leave();
        return new Expr.IfExp(condition, body, orElse, body.pos());
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
        return tokens.atOp("*") ? starred() : operators(Precedence.BIT_OR);
    }

    private Expr starred() {
        Token star = tokens.expectOp("*");
        guard.enter(star);
        Expr value = operators(Precedence.BIT_OR);
        guard.leave();
        return new Expr.Starred(value, star.pos());
    }

    /**
     * Operators binding at least as tightly as {@code minPrecedence}, by precedence climbing: one loop for all
     * binary levels rather than one method per level, because each nesting level of the input costs a full round
     * of the recursion and a ladder of a dozen methods made that cost kilobytes of stack.
     */
    private Expr operators(int minPrecedence) {
        Expr left = prefix(minPrecedence);
        int nested = 0;
        while (true) {
            Token t = tokens.peek();
            int precedence = Precedence.binary(t, tokens.peek(1));
            if (precedence < minPrecedence) {
                break;
            }
            guard.enter(t); // every operator node takes its left side one level deeper
            nested++;
            if (precedence == Precedence.OR || precedence == Precedence.AND) {
                left = boolChain(left, t.text(), precedence);
            } else if (precedence == Precedence.COMPARISON) {
                left = comparisonChain(left);
            } else {
                tokens.next();
                // ** is right-associative and its right side may carry a unary sign: 2 ** -1
                Expr right = precedence == Precedence.POWER ? operators(Precedence.UNARY)
                        : operators(precedence + 1);
                left = new Expr.BinOp(left, t.text(), right, left.pos());
            }
        }
        guard.leave(nested);
        return left;
    }

    private Expr boolChain(Expr first, String op, int precedence) {
        List<Expr> values = new ArrayList<>();
        values.add(first);
        while (tokens.acceptKeyword(op)) {
            values.add(operators(precedence + 1));
        }
        return new Expr.BoolOp(op, values, first.pos());
    }

    private Expr comparisonChain(Expr first) {
        List<String> ops = new ArrayList<>();
        List<Expr> operands = new ArrayList<>();
        operands.add(first);
        String op;
        while ((op = comparisonOperator()) != null) {
            ops.add(op);
            operands.add(operators(Precedence.COMPARISON + 1));
        }
        return new Expr.Compare(operands, ops, first.pos());
    }

    /** Consumes a comparison operator ({@code not in} and {@code is not} are two tokens) or returns null. */
    private String comparisonOperator() {
        Token t = tokens.peek();
        if (Precedence.binary(t, tokens.peek(1)) != Precedence.COMPARISON) {
            return null;
        }
        tokens.next();
        if (t.isName("not")) {
            tokens.expectKeyword("in");
            return "not in";
        }
        if (t.isName("is")) {
            return tokens.acceptKeyword("not") ? "is not" : "is";
        }
        return t.text();
    }

    /**
     * {@code not x} (allowed where a comparison may stand), {@code -x +x ~x} (anywhere but a power's base) or a
     * primary.
     */
    private Expr prefix(int minPrecedence) {
        Token t = tokens.peek();
        boolean isNot = t.isName("not") && minPrecedence <= Precedence.NOT;
        boolean isSign = (t.isOp("-") || t.isOp("+") || t.isOp("~")) && minPrecedence <= Precedence.UNARY;
        if (!isNot && !isSign) {
            return postfix();
        }
        tokens.next();
        if (t.isOp("-") && isLongMinMagnitude(tokens.peek()) && !tokens.peek(1).isOp("**")) {
            // -9223372036854775808 is a valid int64 whose magnitude alone is not; torch writes it this way
            tokens.next();
            return new Expr.Literal(Long.MIN_VALUE, t.pos());
        }
        guard.enter(t);
        Expr operand = operators(isNot ? Precedence.NOT : Precedence.UNARY);
        guard.leave();
        return new Expr.UnaryOp(t.text(), operand, t.pos());
    }

    private static boolean isLongMinMagnitude(Token t) {
        return t.kind() == TokenKind.INT && LONG_MIN_MAGNITUDE.equals(t.value());
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
