package io.mconv.torch.script;

import io.mconv.limits.Limit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses one code file of a TorchScript archive ({@code code/__torch__/...py}) into a {@link ScriptFile}. The
 * grammar is the Python subset torch's serializer writes: imports (dropped), classes with class-level assignments,
 * annotations and methods, functions, and the statements and expressions of TorchScript. Anything else is a
 * {@link ScriptSyntaxException} naming file, line and column.
 */
public final class ScriptParser {

    private static final Map<String, String> AUGMENTED_OPS = Map.ofEntries(
            Map.entry("+=", "+"), Map.entry("-=", "-"), Map.entry("*=", "*"), Map.entry("/=", "/"),
            Map.entry("//=", "//"), Map.entry("%=", "%"), Map.entry("**=", "**"), Map.entry("@=", "@"),
            Map.entry("&=", "&"), Map.entry("|=", "|"), Map.entry("^=", "^"), Map.entry("<<=", "<<"),
            Map.entry(">>=", ">>"));

    private final String entryName;
    private final TokenStream tokens;
    private final NestingGuard guard;
    private final ExpressionParser expressions;

    private ScriptParser(String entryName, List<Token> tokenList, ParserLimits limits) {
        this.entryName = entryName;
        this.tokens = new TokenStream(tokenList);
        this.guard = new NestingGuard(limits.maxDepth());
        this.expressions = new ExpressionParser(tokens, guard);
    }

    public static ScriptFile parse(String entryName, String source) {
        return parse(entryName, source, ParserLimits.DEFAULT);
    }

    public static ScriptFile parse(String entryName, String source, ParserLimits limits) {
        if (source.length() > limits.maxSourceChars()) {
            throw new ScriptSyntaxException(new SourcePos(entryName, 1, 1, 0), "code file of " + source.length()
                    + " chars: " + Limit.CODE_SIZE.exceeded(limits.maxSourceChars()));
        }
        List<Token> tokenList = new ScriptLexer(entryName, source).tokenize();
        return new ScriptParser(entryName, tokenList, limits).file();
    }

    private ScriptFile file() {
        List<ClassDef> classes = new ArrayList<>();
        List<FunctionDef> functions = new ArrayList<>();
        List<Stmt> statements = new ArrayList<>();
        while (!tokens.at(TokenKind.END_OF_FILE)) {
            Token t = tokens.peek();
            if (t.kind() == TokenKind.INDENT) {
                throw TokenStream.error(t, "unexpected indent");
            } else if (t.isName("import") || t.isName("from")) {
                skipImport();
            } else if (t.isName("class")) {
                classes.add(classDef());
            } else if (t.isName("def")) {
                functions.add(functionDef());
            } else {
                statement(statements);
            }
        }
        return new ScriptFile(entryName, classes, functions, statements);
    }

    /** {@code import a.b [as c], ...} or {@code from a.b import c [as d], ...}: checked, then dropped. */
    private void skipImport() {
        if (tokens.acceptKeyword("from")) {
            while (tokens.acceptOp(".")) {
                // relative import dots
            }
            if (!tokens.atKeyword("import")) {
                dottedName();
            }
            tokens.expectKeyword("import");
            boolean parenthesized = tokens.acceptOp("(");
            if (!parenthesized && tokens.acceptOp("*")) {
                endOfSimpleStatement();
                return;
            }
            do {
                if (parenthesized && tokens.atOp(")")) {
                    break;
                }
                tokens.expectIdentifier("a name to import");
                if (tokens.acceptKeyword("as")) {
                    tokens.expectIdentifier("a name after 'as'");
                }
            } while (tokens.acceptOp(","));
            if (parenthesized) {
                tokens.expectOp(")");
            }
        } else {
            tokens.expectKeyword("import");
            do {
                dottedName();
                if (tokens.acceptKeyword("as")) {
                    tokens.expectIdentifier("a name after 'as'");
                }
            } while (tokens.acceptOp(","));
        }
        endOfSimpleStatement();
    }

    private void dottedName() {
        tokens.expectIdentifier("a module name");
        while (tokens.acceptOp(".")) {
            tokens.expectIdentifier("a module name after '.'");
        }
    }

    private ClassDef classDef() {
        Token keyword = tokens.expectKeyword("class");
        Token name = tokens.expectIdentifier("a class name");
        List<Expr> bases = new ArrayList<>();
        if (tokens.acceptOp("(")) {
            while (!tokens.atOp(")")) {
                bases.add(expressions.test());
                if (!tokens.acceptOp(",")) {
                    break;
                }
            }
            tokens.expectOp(")");
        }
        tokens.expectOp(":");
        List<Stmt> statements = new ArrayList<>();
        List<FunctionDef> methods = new ArrayList<>();
        for (Stmt s : block(keyword)) {
            if (s instanceof Stmt.Def def) {
                methods.add(def.function());
            } else {
                statements.add(s);
            }
        }
        return new ClassDef(name.text(), bases, statements, methods, keyword.pos());
    }

    private FunctionDef functionDef() {
        Token keyword = tokens.expectKeyword("def");
        Token name = tokens.expectIdentifier("a function name");
        tokens.expectOp("(");
        List<FunctionDef.Param> params = new ArrayList<>();
        while (!tokens.atOp(")")) {
            params.add(parameter(params));
            if (!tokens.acceptOp(",")) {
                break;
            }
        }
        tokens.expectOp(")");
        Expr returns = tokens.acceptOp("->") ? expressions.test() : null;
        tokens.expectOp(":");
        List<Stmt> body = block(keyword);
        return new FunctionDef(name.text(), params, returns, body, keyword.pos());
    }

    private FunctionDef.Param parameter(List<FunctionDef.Param> before) {
        Token t = tokens.peek();
        if (t.isOp("*") || t.isOp("**") || t.isOp("/")) {
            throw TokenStream.error(t, "'" + t.text() + "' parameters are not part of TorchScript");
        }
        Token name = tokens.expectIdentifier("a parameter name");
        for (FunctionDef.Param p : before) {
            if (p.name().equals(name.text())) {
                throw TokenStream.error(name, "duplicate parameter '" + name.text() + "'");
            }
        }
        Expr annotation = tokens.acceptOp(":") ? expressions.test() : null;
        Expr defaultValue = tokens.acceptOp("=") ? expressions.test() : null;
        if (defaultValue == null && !before.isEmpty() && before.get(before.size() - 1).defaultValue() != null) {
            throw TokenStream.error(name, "parameter without a default follows one with a default");
        }
        return new FunctionDef.Param(name.text(), annotation, defaultValue, name.pos());
    }

    /**
     * The block after a {@code :}: an indented run of statements, or simple statements on the same line.
     * Never empty.
     */
    private List<Stmt> block(Token owner) {
        guard.enter(owner);
        List<Stmt> body = new ArrayList<>();
        if (tokens.at(TokenKind.NEWLINE)) {
            tokens.next();
            if (!tokens.at(TokenKind.INDENT)) {
                throw tokens.unexpected("an indented block after '" + owner.text() + "' on line "
                        + owner.pos().line());
            }
            tokens.next();
            while (!tokens.at(TokenKind.DEDENT) && !tokens.at(TokenKind.END_OF_FILE)) {
                statement(body);
            }
            tokens.expect(TokenKind.DEDENT, "the end of the block");
        } else {
            simpleStatements(body);
        }
        guard.leave();
        return body;
    }

    /** One statement (several for {@code a; b}) appended to {@code out}. */
    private void statement(List<Stmt> out) {
        Token t = tokens.peek();
        if (t.kind() == TokenKind.INDENT) {
            throw TokenStream.error(t, "unexpected indent");
        }
        if (t.kind() == TokenKind.NAME) {
            switch (t.text()) {
                case "if" -> out.add(ifStatement());
                case "for" -> out.add(forStatement());
                case "while" -> out.add(whileStatement());
                case "def" -> out.add(new Stmt.Def(functionDef()));
                case "class" -> throw TokenStream.error(t, "class definitions are only supported at the top "
                        + "level");
                case "import", "from" -> throw TokenStream.error(t, "imports are only supported at the top "
                        + "level");
                case "with", "try", "async", "global", "nonlocal", "lambda", "yield" ->
                        throw TokenStream.error(t, "'" + t.text() + "' is not supported in serialized TorchScript");
                default -> simpleStatements(out);
            }
            return;
        }
        if (t.isOp("@")) {
            throw TokenStream.error(t, "decorators are not supported in serialized TorchScript");
        }
        simpleStatements(out);
    }

    private Stmt ifStatement() {
        Token keyword = tokens.next(); // 'if' or 'elif'
        Expr test = expressions.test();
        tokens.expectOp(":");
        List<Stmt> body = block(keyword);
        List<Stmt> orElse = List.of();
        if (tokens.atKeyword("elif")) {
            Token elif = tokens.peek();
            guard.enter(elif); // each elif nests one If deeper
            orElse = List.of(ifStatement());
            guard.leave();
        } else if (tokens.atKeyword("else")) {
            Token elseToken = tokens.next();
            tokens.expectOp(":");
            orElse = block(elseToken);
        }
        return new Stmt.If(test, body, orElse, keyword.pos());
    }

    private Stmt forStatement() {
        Token keyword = tokens.expectKeyword("for");
        Expr target = expressions.exprList();
        requireAssignable(target, "for");
        tokens.expectKeyword("in");
        Expr iter = expressions.testListStar();
        tokens.expectOp(":");
        List<Stmt> body = block(keyword);
        rejectLoopElse();
        return new Stmt.For(target, iter, body, keyword.pos());
    }

    private Stmt whileStatement() {
        Token keyword = tokens.expectKeyword("while");
        Expr test = expressions.test();
        tokens.expectOp(":");
        List<Stmt> body = block(keyword);
        rejectLoopElse();
        return new Stmt.While(test, body, keyword.pos());
    }

    private void rejectLoopElse() {
        if (tokens.atKeyword("else")) {
            throw TokenStream.error(tokens.peek(), "'else' after a loop is not supported");
        }
    }

    /** {@code small; small; ...} up to the end of the line. */
    private void simpleStatements(List<Stmt> out) {
        out.add(smallStatement());
        while (tokens.acceptOp(";")) {
            if (tokens.at(TokenKind.NEWLINE)) {
                break;
            }
            out.add(smallStatement());
        }
        tokens.expect(TokenKind.NEWLINE, "end of line");
    }

    private void endOfSimpleStatement() {
        tokens.acceptOp(";");
        tokens.expect(TokenKind.NEWLINE, "end of line");
    }

    private Stmt smallStatement() {
        Token t = tokens.peek();
        if (t.kind() == TokenKind.NAME) {
            switch (t.text()) {
                case "pass":
                    tokens.next();
                    return new Stmt.Pass(t.pos());
                case "break":
                    tokens.next();
                    return new Stmt.Break(t.pos());
                case "continue":
                    tokens.next();
                    return new Stmt.Continue(t.pos());
                case "return":
                    tokens.next();
                    return new Stmt.Return(atEndOfSmallStatement() ? null : expressions.testListStar(), t.pos());
                case "raise":
                    return raiseStatement();
                case "assert":
                    return assertStatement();
                case "del":
                    return deleteStatement();
                default:
                    break;
            }
        }
        return expressionStatement();
    }

    private boolean atEndOfSmallStatement() {
        return tokens.at(TokenKind.NEWLINE) || tokens.atOp(";");
    }

    private Stmt raiseStatement() {
        Token keyword = tokens.expectKeyword("raise");
        Expr exc = atEndOfSmallStatement() ? null : expressions.test();
        if (tokens.atKeyword("from")) {
            throw TokenStream.error(tokens.peek(), "'raise ... from' is not supported");
        }
        return new Stmt.Raise(exc, keyword.pos());
    }

    private Stmt assertStatement() {
        Token keyword = tokens.expectKeyword("assert");
        Expr test = expressions.test();
        Expr msg = tokens.acceptOp(",") ? expressions.test() : null;
        return new Stmt.Assert(test, msg, keyword.pos());
    }

    private Stmt deleteStatement() {
        Token keyword = tokens.expectKeyword("del");
        List<Expr> targets = new ArrayList<>();
        do {
            if (atEndOfSmallStatement()) {
                break; // trailing comma
            }
            Expr target = expressions.test();
            requireAssignable(target, "del");
            targets.add(target);
        } while (tokens.acceptOp(","));
        if (targets.isEmpty()) {
            throw tokens.unexpected("a target after 'del'");
        }
        return new Stmt.Delete(targets, keyword.pos());
    }

    /** Expression statement, assignment ({@code a = b = c}), annotated or augmented assignment. */
    private Stmt expressionStatement() {
        Token start = tokens.peek();
        Expr first = expressions.testListStar();
        Token t = tokens.peek();
        if (t.isOp(":")) {
            tokens.next();
            if (first instanceof Expr.TupleExpr) {
                throw TokenStream.error(start, "only a single target can be annotated");
            }
            requireAssignable(first, "an annotation");
            Expr annotation = expressions.test();
            Expr value = tokens.acceptOp("=") ? expressions.testListStar() : null;
            return new Stmt.AnnAssign(first, annotation, value, start.pos());
        }
        if (t.kind() == TokenKind.OP && AUGMENTED_OPS.containsKey(t.text())) {
            tokens.next();
            if (!(first instanceof Expr.Name || first instanceof Expr.Attribute || first instanceof Expr.Subscript)) {
                throw TokenStream.error(start, "illegal target for augmented assignment");
            }
            return new Stmt.AugAssign(first, AUGMENTED_OPS.get(t.text()), expressions.testListStar(), start.pos());
        }
        if (!t.isOp("=")) {
            if (t.isOp(":=")) {
                throw TokenStream.error(t, "':=' is not part of TorchScript");
            }
            return new Stmt.ExprStmt(first, start.pos());
        }
        List<Expr> chain = new ArrayList<>();
        chain.add(first);
        while (tokens.acceptOp("=")) {
            chain.add(expressions.testListStar());
        }
        List<Expr> targets = chain.subList(0, chain.size() - 1);
        for (Expr target : targets) {
            requireAssignable(target, "an assignment");
        }
        return new Stmt.Assign(targets, chain.get(chain.size() - 1), start.pos());
    }

    /** Targets are names, attributes, subscripts, and tuples or lists of targets (one starred at most). */
    private static void requireAssignable(Expr target, String context) {
        if (target instanceof Expr.Name || target instanceof Expr.Attribute || target instanceof Expr.Subscript) {
            return;
        }
        List<Expr> elements = target instanceof Expr.TupleExpr tuple ? tuple.elements()
                : target instanceof Expr.ListExpr list ? list.elements() : null;
        if (elements == null) {
            throw new ScriptSyntaxException(target.pos(), "cannot assign to " + describe(target) + " in "
                    + context);
        }
        int starred = 0;
        for (Expr e : elements) {
            if (e instanceof Expr.Starred star) {
                starred++;
                requireAssignable(star.value(), context);
            } else {
                requireAssignable(e, context);
            }
        }
        if (starred > 1) {
            throw new ScriptSyntaxException(target.pos(), "multiple starred targets in " + context);
        }
    }

    private static String describe(Expr e) {
        if (e instanceof Expr.Literal) {
            return "a literal";
        } else if (e instanceof Expr.Call) {
            return "a function call";
        } else if (e instanceof Expr.BinOp || e instanceof Expr.UnaryOp) {
            return "an operator expression";
        } else if (e instanceof Expr.Compare) {
            return "a comparison";
        } else if (e instanceof Expr.BoolOp) {
            return "a boolean expression";
        } else if (e instanceof Expr.IfExp) {
            return "a conditional expression";
        } else if (e instanceof Expr.DictExpr) {
            return "a dict display";
        }
        return "this expression";
    }
}
