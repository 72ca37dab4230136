package io.mconv.torch.export;

import io.mconv.limits.Limit;
import io.mconv.limits.Limits;
import io.mconv.torch.archive.PyGlobal;
import io.mconv.torch.archive.PyTuple;
import io.mconv.torch.archive.ScriptObject;
import io.mconv.torch.archive.TorchTensor;
import io.mconv.torch.script.ClassDef;
import io.mconv.torch.script.Expr;
import io.mconv.torch.script.FunctionDef;
import io.mconv.torch.script.SourcePos;
import io.mconv.torch.script.Stmt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs serialized TorchScript symbolically: Python-level values are computed here, at export time, and every tensor
 * operation is handed to its symbolic, which emits ONNX nodes. Submodule calls are inlined; {@code if}/{@code for}/
 * {@code while} on static values are resolved here, on tensors they are handed to {@link ControlFlow}.
 */
final class Interpreter {

    /** What a block of statements ended with. */
    enum Flow { NORMAL, RETURN, BREAK, CONTINUE }

    static final String RETURN_SLOT = "$return";

    private final SymbolicContext ctx;
    private final SymbolicRegistry registry;
    private final ClassTable classes;
    private final WeightTable weights;
    private final List<Object> constants;
    private final Builtins builtins;
    private final ScalarArithmetic scalars;
    private final ControlFlow controlFlow;
    private final ViewWrites viewWrites;
    private SourcePos pos;
    private int callDepth;
    /** Limit.SCRIPT_CALL_DEPTH: recursion in the script would otherwise overflow this interpreter's Java stack. */
    private final long maxCallDepth;
    /** Limit.SCRIPT_LOOP_ITERATIONS: a while loop over static values that never ends would hang the export. */
    private final long maxStaticIterations;

    Interpreter(SymbolicContext ctx, SymbolicRegistry registry, ClassTable classes, WeightTable weights,
                List<Object> constants, Limits limits) {
        this.ctx = ctx;
        this.maxCallDepth = limits.get(Limit.SCRIPT_CALL_DEPTH);
        this.maxStaticIterations = limits.get(Limit.SCRIPT_LOOP_ITERATIONS);
        this.registry = registry;
        this.classes = classes;
        this.weights = weights;
        this.constants = constants;
        this.scalars = new ScalarArithmetic(ctx);
        this.builtins = new Builtins(ctx, scalars);
        this.controlFlow = new ControlFlow(ctx, this);
        this.viewWrites = new ViewWrites(ctx);
    }

    SymbolicContext context() {
        return ctx;
    }

    /** The one scalar-arithmetic helper of this export (control flow builds conditions with it). */
    ScalarArithmetic scalars() {
        return scalars;
    }

    SourcePos position() {
        return pos;
    }

    // ---- functions -------------------------------------------------------------------------------------------

    /** Calls {@code methodName} of a module or other scripted object, binding {@code self}. */
    SValue callMethod(SValue.ObjectV self, String methodName, List<SValue> args, List<String> kwNames,
                      List<SValue> kwValues) {
        ClassDef cls = classes.classDef(self.object().className()).orElseThrow(() -> new SymbolicException(
                "no code in the archive for class " + self.object().className()));
        FunctionDef fn = cls.method(methodName).orElseThrow(() -> new SymbolicException("class " + cls.name()
                + " has no method " + methodName));
        ctx.pushScope(self.path());
        try {
            List<SValue> withSelf = new ArrayList<>();
            withSelf.add(self);
            withSelf.addAll(args);
            return call(fn, withSelf, kwNames, kwValues);
        } finally {
            ctx.popScope();
        }
    }

    /** Runs a function with its arguments bound, returning its return value (None when it returns nothing). */
    SValue call(FunctionDef fn, List<SValue> args, List<String> kwNames, List<SValue> kwValues) {
        if (++callDepth > maxCallDepth) {
            throw new SymbolicException("calls nest deeper than " + maxCallDepth + " (recursion?) at " + fn.name()
                    + ": " + Limit.SCRIPT_CALL_DEPTH.exceeded(maxCallDepth));
        }
        SourcePos callerPos = pos;
        try {
            Frame frame = new Frame();
            List<FunctionDef.Param> params = fn.params();
            if (args.size() > params.size()) {
                throw new SymbolicException(fn.name() + " takes " + params.size() + " arguments but got "
                        + args.size());
            }
            for (int i = 0; i < params.size(); i++) {
                FunctionDef.Param p = params.get(i);
                SValue v = null;
                if (i < args.size()) {
                    v = args.get(i);
                } else {
                    int k = kwNames.indexOf(p.name());
                    if (k >= 0) {
                        v = kwValues.get(k);
                    } else if (p.defaultValue() != null) {
                        v = eval(p.defaultValue(), frame);
                    }
                }
                if (v == null) {
                    throw new SymbolicException(fn.name() + ": missing argument '" + p.name() + "'");
                }
                frame.put(p.name(), v);
            }
            Flow flow = exec(fn.body(), frame);
            if (flow == Flow.BREAK || flow == Flow.CONTINUE) {
                throw new SymbolicException("break/continue outside a loop in " + fn.name());
            }
            SValue result = frame.get(RETURN_SLOT);
            return result == null ? SValue.Const.NONE : result;
        } finally {
            callDepth--;
            pos = callerPos;
        }
    }

    // ---- statements ------------------------------------------------------------------------------------------

    Flow exec(List<Stmt> body, Frame f) {
        for (Stmt s : body) {
            Flow flow = exec(s, f);
            if (flow != Flow.NORMAL) {
                return flow;
            }
        }
        return Flow.NORMAL;
    }

    private Flow exec(Stmt s, Frame f) {
        pos = s.pos();
        try {
            return execUnchecked(s, f);
        } catch (SymbolicException | UnsupportedOpException e) {
            throw e instanceof UnsupportedOpException u ? u : new ExportException(s.pos(), e.getMessage(), e);
        }
    }

    private Flow execUnchecked(Stmt s, Frame f) {
        if (s instanceof Stmt.Assign a) {
            SValue v = eval(a.value(), f);
            for (Expr target : a.targets()) {
                assign(target, v, f);
            }
        } else if (s instanceof Stmt.AnnAssign a) {
            if (a.value() != null) {
                assign(a.target(), eval(a.value(), f), f);
            }
        } else if (s instanceof Stmt.AugAssign a) {
            SValue current = eval(a.target(), f);
            assign(a.target(), binary(a.op(), current, eval(a.value(), f)), f);
        } else if (s instanceof Stmt.ExprStmt e) {
            eval(e.value(), f);
        } else if (s instanceof Stmt.Return r) {
            f.put(RETURN_SLOT, r.value() == null ? SValue.Const.NONE : eval(r.value(), f));
            return Flow.RETURN;
        } else if (s instanceof Stmt.If i) {
            return execIf(i, f);
        } else if (s instanceof Stmt.For fo) {
            return execFor(fo, f);
        } else if (s instanceof Stmt.While w) {
            return execWhile(w, f);
        } else if (s instanceof Stmt.Pass) {
            return Flow.NORMAL;
        } else if (s instanceof Stmt.Break) {
            return Flow.BREAK;
        } else if (s instanceof Stmt.Continue) {
            return Flow.CONTINUE;
        } else if (s instanceof Stmt.Raise r) {
            throw new SymbolicException("the model raises an exception here"
                    + (r.exc() == null ? "" : ": " + Describe.of(eval(r.exc(), f))));
        } else if (s instanceof Stmt.Assert a) {
            SValue test = eval(a.test(), f);
            if (test instanceof SValue.Const c && Boolean.FALSE.equals(truth(c))) {
                throw new SymbolicException("an assert of the model fails for these inputs");
            }
        } else if (s instanceof Stmt.Delete) {
            return Flow.NORMAL;
        } else {
            throw new SymbolicException("statement not supported: " + s.getClass().getSimpleName());
        }
        return Flow.NORMAL;
    }

    private Flow execIf(Stmt.If i, Frame f) {
        SValue test = eval(i.test(), f);
        Optional<Boolean> known = staticTruth(test);
        if (known.isPresent()) {
            return exec(known.get() ? i.body() : i.orElse(), f);
        }
        controlFlow.lowerIf(i, test, f);
        return Flow.NORMAL;
    }

    private Flow execFor(Stmt.For fo, Frame f) {
        SValue iter = eval(fo.iter(), f);
        List<SValue> items = staticItems(iter);
        if (items == null) {
            controlFlow.lowerFor(fo, iter, f);
            return Flow.NORMAL;
        }
        for (SValue item : items) {
            assign(fo.target(), item, f);
            Flow flow = exec(fo.body(), f);
            if (flow == Flow.BREAK) {
                break;
            }
            if (flow == Flow.RETURN) {
                return flow;
            }
        }
        return Flow.NORMAL;
    }

    private Flow execWhile(Stmt.While w, Frame f) {
        for (int n = 0; ; n++) {
            SValue test = eval(w.test(), f);
            Optional<Boolean> known = staticTruth(test);
            if (known.isEmpty()) {
                if (n > 0) {
                    throw new SymbolicException("a while loop whose condition turns dynamic after " + n
                            + " static iterations is not supported");
                }
                controlFlow.lowerWhile(w, test, f);
                return Flow.NORMAL;
            }
            if (!known.get()) {
                return Flow.NORMAL;
            }
            if (n >= maxStaticIterations) {
                throw new SymbolicException("a while loop ran " + n + " iterations at export time: "
                        + Limit.SCRIPT_LOOP_ITERATIONS.exceeded(maxStaticIterations));
            }
            Flow flow = exec(w.body(), f);
            if (flow == Flow.BREAK) {
                return Flow.NORMAL;
            }
            if (flow == Flow.RETURN) {
                return flow;
            }
        }
    }

    /** The items of a static iterable (list, tuple, static range), or null when it is dynamic. */
    private List<SValue> staticItems(SValue iter) {
        if (iter instanceof SValue.ListV l) {
            return new ArrayList<>(l.elements());
        }
        if (iter instanceof SValue.TupleV t) {
            return t.elements();
        }
        if (iter instanceof SValue.RangeV r) {
            return Ranges.staticItems(r);
        }
        if (iter instanceof SValue.DictV d) {
            return d.entries().keySet().stream().map(k -> (SValue) new SValue.Const(k)).toList();
        }
        return null;
    }

    void assign(Expr target, SValue v, Frame f) {
        if (target instanceof Expr.Name n) {
            f.put(n.id(), v);
        } else if (target instanceof Expr.TupleExpr t) {
            List<SValue> parts = unpack(v, t.elements().size());
            for (int i = 0; i < parts.size(); i++) {
                assign(t.elements().get(i), parts.get(i), f);
            }
        } else if (target instanceof Expr.ListExpr l) {
            List<SValue> parts = unpack(v, l.elements().size());
            for (int i = 0; i < parts.size(); i++) {
                assign(l.elements().get(i), parts.get(i), f);
            }
        } else if (target instanceof Expr.Subscript sub) {
            SValue container = eval(sub.value(), f);
            SValue index = eval(sub.index(), f);
            if (container instanceof SValue.ListV list && index instanceof SValue.Const c
                    && c.value() instanceof Long i) {
                list.elements().set(Math.toIntExact(i < 0 ? i + list.elements().size() : i), v);
            } else if (container instanceof SValue.DictV d && index instanceof SValue.Const c) {
                d.entries().put(c.value(), v);
            } else {
                throw new SymbolicException("item assignment on " + Describe.of(container) + " is not supported");
            }
        } else if (target instanceof Expr.Attribute a) {
            SValue base = eval(a.value(), f);
            throw new SymbolicException("assigning attribute '" + a.name() + "' of " + Describe.of(base)
                    + " is not supported (the model mutates its own state)");
        } else {
            throw new SymbolicException("cannot assign to " + target.getClass().getSimpleName());
        }
    }

    private List<SValue> unpack(SValue v, int count) {
        List<SValue> parts;
        if (v instanceof SValue.TupleV t) {
            parts = t.elements();
        } else if (v instanceof SValue.ListV l) {
            parts = l.elements();
        } else {
            throw new SymbolicException("cannot unpack " + Describe.of(v) + " into " + count + " names");
        }
        if (parts.size() != count) {
            throw new SymbolicException("cannot unpack " + parts.size() + " values into " + count + " names");
        }
        return parts;
    }

    // ---- expressions -----------------------------------------------------------------------------------------

    SValue eval(Expr e, Frame f) {
        if (e instanceof Expr.Literal l) {
            return new SValue.Const(l.value());
        }
        if (e instanceof Expr.Name n) {
            return name(n.id(), f);
        }
        if (e instanceof Expr.Attribute a) {
            return attribute(eval(a.value(), f), a.name());
        }
        if (e instanceof Expr.Call c) {
            return evalCall(c, f);
        }
        if (e instanceof Expr.TupleExpr t) {
            return new SValue.TupleV(evalAll(t.elements(), f));
        }
        if (e instanceof Expr.ListExpr l) {
            return new SValue.ListV(evalAll(l.elements(), f));
        }
        if (e instanceof Expr.DictExpr d) {
            LinkedHashMap<Object, SValue> entries = new LinkedHashMap<>();
            for (int i = 0; i < d.keys().size(); i++) {
                SValue k = eval(d.keys().get(i), f);
                if (!(k instanceof SValue.Const kc)) {
                    throw new SymbolicException("dict keys must be static, got " + Describe.of(k));
                }
                entries.put(kc.value(), eval(d.values().get(i), f));
            }
            return new SValue.DictV(entries);
        }
        if (e instanceof Expr.Subscript s) {
            return subscript(eval(s.value(), f), s.index(), f);
        }
        if (e instanceof Expr.BinOp b) {
            return binary(b.op(), eval(b.left(), f), eval(b.right(), f));
        }
        if (e instanceof Expr.UnaryOp u) {
            SValue operand = eval(u.operand(), f);
            return switch (u.op()) {
                case "not" -> scalars.not(operand);
                case "-" -> scalars.apply("neg", List.of(operand)).orElseThrow(() ->
                        new SymbolicException("cannot negate " + Describe.of(operand)));
                case "+" -> operand;
                default -> throw new SymbolicException("unary " + u.op() + " is not supported");
            };
        }
        if (e instanceof Expr.Compare c) {
            return compare(c, f);
        }
        if (e instanceof Expr.BoolOp b) {
            return boolOp(b, f);
        }
        if (e instanceof Expr.IfExp i) {
            Optional<Boolean> known = staticTruth(eval(i.test(), f));
            if (known.isEmpty()) {
                throw new SymbolicException("a conditional expression on a dynamic value is not supported");
            }
            return eval(known.get() ? i.body() : i.orElse(), f);
        }
        throw new SymbolicException("expression not supported: " + e.getClass().getSimpleName());
    }

    private List<SValue> evalAll(List<Expr> exprs, Frame f) {
        List<SValue> out = new ArrayList<>();
        for (Expr x : exprs) {
            if (x instanceof Expr.Starred st) {
                SValue packed = eval(st.value(), f);
                out.addAll(unpack(packed, sizeOf(packed)));
            } else {
                out.add(eval(x, f));
            }
        }
        return out;
    }

    private static int sizeOf(SValue v) {
        if (v instanceof SValue.TupleV t) {
            return t.elements().size();
        }
        if (v instanceof SValue.ListV l) {
            return l.elements().size();
        }
        throw new SymbolicException("cannot unpack " + Describe.of(v));
    }

    private SValue name(String id, Frame f) {
        SValue local = f.get(id);
        if (local != null) {
            return local;
        }
        return switch (id) {
            case "True" -> new SValue.Const(Boolean.TRUE);
            case "False" -> new SValue.Const(Boolean.FALSE);
            case "None" -> SValue.Const.NONE;
            case "inf" -> new SValue.Const(Double.POSITIVE_INFINITY);
            case "nan" -> new SValue.Const(Double.NaN);
            default -> new SValue.QualName(id);
        };
    }

    private SValue attribute(SValue base, String attr) {
        if (base instanceof SValue.ObjectV o) {
            if (!o.object().hasAttribute(attr)) {
                throw new SymbolicException("object of " + o.object().className() + " has no attribute '" + attr
                        + "'");
            }
            String path = o.path().isEmpty() ? attr : o.path() + "." + attr;
            return fromPickle(o.object().attribute(attr), path);
        }
        if (base instanceof SValue.QualName q) {
            if (q.name().equals("CONSTANTS") && attr.startsWith("c")) {
                int index = Integer.parseInt(attr.substring(1));
                if (index >= constants.size()) {
                    throw new SymbolicException("CONSTANTS." + attr + " is beyond the archive's " + constants.size()
                            + " constants");
                }
                return fromPickle(constants.get(index), "const_" + index);
            }
            if (q.name().equals("math")) {
                return builtins.mathConstant(attr).orElse(q.child(attr));
            }
            return q.child(attr);
        }
        if (base instanceof SValue.TupleV t) {
            throw new SymbolicException("named tuple field '" + attr + "' is not supported");
        }
        throw new SymbolicException(Describe.of(base) + " has no attribute '" + attr + "'");
    }

    /** A value of the pickled object tree as a lowering value; tensors become initializers named by path. */
    SValue fromPickle(Object v, String path) {
        if (v == null || v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof String) {
            return new SValue.Const(v);
        }
        if (v instanceof TorchTensor t) {
            return new SValue.TensorV(weights.initializer(t, path));
        }
        if (v instanceof ScriptObject o) {
            return new SValue.ObjectV(o, path);
        }
        if (v instanceof PyTuple t) {
            List<SValue> items = new ArrayList<>();
            for (int i = 0; i < t.size(); i++) {
                items.add(fromPickle(t.get(i), path + "." + i));
            }
            return new SValue.TupleV(items);
        }
        if (v instanceof List<?> l) {
            List<SValue> items = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                items.add(fromPickle(l.get(i), path + "." + i));
            }
            return new SValue.ListV(items);
        }
        if (v instanceof Map<?, ?> m) {
            LinkedHashMap<Object, SValue> entries = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                entries.put(e.getKey(), fromPickle(e.getValue(), path + "." + e.getKey()));
            }
            return new SValue.DictV(entries);
        }
        if (v instanceof PyGlobal g) {
            return new SValue.QualName(g.qualifiedName());
        }
        throw new SymbolicException("attribute " + path + " has a value the exporter does not handle: "
                + v.getClass().getSimpleName());
    }

    private SValue subscript(SValue container, Expr indexExpr, Frame f) {
        if (indexExpr instanceof Expr.Slice s) {
            List<SValue> items = container instanceof SValue.ListV l ? l.elements()
                    : container instanceof SValue.TupleV t ? t.elements() : null;
            if (items == null) {
                throw new SymbolicException("slicing " + Describe.of(container) + " is not supported");
            }
            int n = items.size();
            long step = s.step() == null ? 1 : staticLong(eval(s.step(), f));
            if (step != 1) {
                throw new SymbolicException("list slices with a step are not supported");
            }
            long lo = s.lower() == null ? 0 : staticLong(eval(s.lower(), f));
            long hi = s.upper() == null ? n : staticLong(eval(s.upper(), f));
            lo = clampIndex(lo, n);
            hi = clampIndex(hi, n);
            List<SValue> part = new ArrayList<>(items.subList((int) lo, (int) Math.max(lo, hi)));
            return container instanceof SValue.ListV ? new SValue.ListV(part) : new SValue.TupleV(part);
        }
        SValue index = eval(indexExpr, f);
        if (container instanceof SValue.DictV d && index instanceof SValue.Const c) {
            SValue v = d.entries().get(c.value());
            if (v == null) {
                throw new SymbolicException("dict has no key " + c.value());
            }
            return v;
        }
        if (container instanceof SValue.ListV || container instanceof SValue.TupleV) {
            List<SValue> items = container instanceof SValue.ListV l ? l.elements()
                    : ((SValue.TupleV) container).elements();
            if (index instanceof SValue.Const c && c.value() instanceof Long i) {
                long k = i < 0 ? i + items.size() : i;
                if (k < 0 || k >= items.size()) {
                    throw new SymbolicException("index " + i + " out of range for " + Describe.of(container));
                }
                return items.get((int) k);
            }
            throw new SymbolicException("indexing a list with a dynamic index is not supported");
        }
        if (container instanceof SValue.QualName q) {
            return q; // a type annotation like List[int]: only used by annotate/isinstance
        }
        throw new SymbolicException("indexing " + Describe.of(container) + " is not supported");
    }

    private static long clampIndex(long i, int n) {
        long k = i < 0 ? i + n : i;
        return Math.max(0, Math.min(n, k));
    }

    private SValue binary(String op, SValue left, SValue right) {
        String aten = switch (op) {
            case "+" -> "add";
            case "-" -> "sub";
            case "*" -> "mul";
            case "/" -> "div";
            case "//" -> "floordiv";
            case "%" -> "remainder";
            case "**" -> "pow";
            case "&" -> "__and__";
            case "|" -> "__or__";
            case "^" -> "__xor__";
            case "<<" -> "__lshift__";
            case ">>" -> "__rshift__";
            case "@" -> "matmul";
            default -> throw new SymbolicException("operator " + op + " is not supported");
        };
        if (op.equals("+") && left instanceof SValue.ListV a && right instanceof SValue.ListV b) {
            List<SValue> joined = new ArrayList<>(a.elements());
            joined.addAll(b.elements());
            return new SValue.ListV(joined);
        }
        if (op.equals("+") && left instanceof SValue.TupleV a && right instanceof SValue.TupleV b) {
            List<SValue> joined = new ArrayList<>(a.elements());
            joined.addAll(b.elements());
            return new SValue.TupleV(joined);
        }
        return callAten("aten::" + aten, List.of(left, right), List.of(), List.of(), null);
    }

    private SValue compare(Expr.Compare c, Frame f) {
        SValue left = eval(c.operands().get(0), f);
        SValue result = null;
        for (int i = 0; i < c.ops().size(); i++) {
            SValue right = eval(c.operands().get(i + 1), f);
            SValue one = compareOne(c.ops().get(i), left, right);
            result = result == null ? one : scalars.and(result, one);
            left = right;
        }
        return result;
    }

    private SValue compareOne(String op, SValue left, SValue right) {
        switch (op) {
            case "is", "is not" -> {
                boolean leftNone = left instanceof SValue.Const lc && lc.isNone();
                boolean rightNone = right instanceof SValue.Const rc && rc.isNone();
                boolean same;
                if (leftNone || rightNone) {
                    same = leftNone && rightNone;
                } else {
                    same = left == right || left.equals(right);
                }
                return new SValue.Const(op.equals("is") == same);
            }
            case "in", "not in" -> {
                boolean found = builtins.contains(right, left);
                return new SValue.Const(op.equals("in") == found);
            }
            default -> {
                String aten = switch (op) {
                    case "==" -> "eq";
                    case "!=" -> "ne";
                    case "<" -> "lt";
                    case "<=" -> "le";
                    case ">" -> "gt";
                    case ">=" -> "ge";
                    default -> throw new SymbolicException("comparison " + op + " is not supported");
                };
                return callAten("aten::" + aten, List.of(left, right), List.of(), List.of(), null);
            }
        }
    }

    private SValue boolOp(Expr.BoolOp b, Frame f) {
        boolean isAnd = b.op().equals("and");
        SValue acc = null;
        for (Expr x : b.values()) {
            if (acc != null) {
                Optional<Boolean> known = staticTruth(acc);
                if (known.isPresent() && known.get() != isAnd) {
                    return acc; // short circuit, as Python does
                }
            }
            SValue v = eval(x, f);
            acc = acc == null ? v : (isAnd ? scalars.and(acc, v) : scalars.or(acc, v));
        }
        return acc;
    }

    // ---- calls -----------------------------------------------------------------------------------------------

    private SValue evalCall(Expr.Call c, Frame f) {
        List<SValue> args = evalAll(c.args(), f);
        List<String> kwNames = new ArrayList<>();
        List<SValue> kwValues = new ArrayList<>();
        for (Expr.Keyword k : c.keywords()) {
            kwNames.add(k.name());
            kwValues.add(eval(k.value(), f));
        }
        if (c.func() instanceof Expr.Attribute a) {
            SValue base = eval(a.value(), f);
            if (base instanceof SValue.ObjectV o && !o.object().hasAttribute(a.name())) {
                return callMethod(o, a.name(), args, kwNames, kwValues);
            }
            return callNamed(attribute(base, a.name()), args, kwNames, kwValues, f);
        }
        return callNamed(eval(c.func(), f), args, kwNames, kwValues, f);
    }

    private SValue callNamed(SValue func, List<SValue> args, List<String> kwNames, List<SValue> kwValues,
                             Frame f) {
        if (!(func instanceof SValue.QualName q)) {
            throw new SymbolicException(Describe.of(func) + " is not callable");
        }
        String name = q.name();
        if (name.startsWith("torch.")) {
            return callAten("aten::" + name.substring("torch.".length()), args, kwNames, kwValues, f);
        }
        if (name.startsWith("ops.aten.")) {
            return callAten("aten::" + name.substring("ops.aten.".length()), args, kwNames, kwValues, f);
        }
        if (name.startsWith("ops.prim.")) {
            return builtins.prim(name.substring("ops.prim.".length()), args);
        }
        if (name.startsWith("__torch__.")) {
            Optional<FunctionDef> fn = classes.function(name);
            if (fn.isPresent()) {
                return call(fn.get(), args, kwNames, kwValues);
            }
            if (classes.classDef(name).isPresent()) {
                return new SValue.TupleV(args); // NamedTuple construction: fields in order
            }
            throw new SymbolicException("no code in the archive for " + name);
        }
        if (name.equals("range")) {
            return Ranges.of(args);
        }
        if (name.equals("getattr") && args.size() >= 2 && args.get(1) instanceof SValue.Const c
                && c.value() instanceof String attr) {
            return attribute(args.get(0), attr);
        }
        if (name.equals("hasattr") && args.size() == 2 && args.get(0) instanceof SValue.ObjectV o
                && args.get(1) instanceof SValue.Const c && c.value() instanceof String attr) {
            return new SValue.Const(o.object().hasAttribute(attr));
        }
        return builtins.call(name, args, kwValues).orElseThrow(() -> new UnsupportedOpException(name, pos,
                "not a supported builtin"));
    }

    /** Calls an ATen operator: Python-level ops and scalar arithmetic here, tensor ops through the registry. */
    SValue callAten(String name, List<SValue> args, List<String> kwNames, List<SValue> kwValues, Frame f) {
        String shortName = name.substring("aten::".length());
        Optional<SValue> python = builtins.atenPython(shortName, args);
        if (python.isPresent()) {
            return python.get();
        }
        if (kwNames.isEmpty()) {
            Optional<SValue> scalar = scalars.apply(shortName, args);
            if (scalar.isPresent()) {
                return scalar.get();
            }
        }
        boolean inPlace = shortName.endsWith("_") && !shortName.endsWith("__");
        Optional<SymbolicRegistry.Registration> reg = registry.lookup(name, ctx.opset());
        if (reg.isEmpty() && inPlace) {
            reg = registry.lookup(name.substring(0, name.length() - 1), ctx.opset());
        }
        if (reg.isEmpty()) {
            int lowest = registry.lowestOpset(name).orElse(-1);
            throw new UnsupportedOpException(name, pos, lowest > 0 ? "needs opset " + lowest + " or later"
                    : "no symbolic");
        }
        BoundArgs bound = reg.get().signature().bind(name, args, kwNames, kwValues);
        SValue result = reg.get().symbolic().apply(ctx, bound);
        viewWrites.recordIfView(name, bound, result);
        if (inPlace && !args.isEmpty()) {
            if (f != null) {
                f.rebind(args.get(0), result);
            }
            viewWrites.writeBack(args.get(0), result, f);
        }
        return result;
    }

    // ---- truth -----------------------------------------------------------------------------------------------

    static Optional<Boolean> staticTruth(SValue v) {
        if (v instanceof SValue.Const c) {
            return Optional.of(truth(c));
        }
        if (v instanceof SValue.ListV l) {
            return Optional.of(!l.elements().isEmpty());
        }
        if (v instanceof SValue.TupleV t) {
            return Optional.of(!t.elements().isEmpty());
        }
        if (v instanceof SValue.ObjectV) {
            return Optional.of(true);
        }
        return Optional.empty();
    }

    private static Boolean truth(SValue.Const c) {
        Object v = c.value();
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Long l) {
            return l != 0;
        }
        if (v instanceof Double d) {
            return d != 0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        return true;
    }

    static long staticLong(SValue v) {
        if (v instanceof SValue.Const c && c.value() instanceof Long l) {
            return l;
        }
        throw new SymbolicException("expected a static int but got " + Describe.of(v));
    }
}
