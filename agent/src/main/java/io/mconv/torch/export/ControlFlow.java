package io.mconv.torch.export;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.torch.script.Expr;
import io.mconv.torch.script.Stmt;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Control flow that depends on tensor values, which the interpreter cannot resolve at export time.
 *
 * <p>Before: {@code if bool(torch.gt(torch.sum(x), 0)): x0 = l.forward(x) else: x0 = torch.mul(x, 2)}.
 * After: {@code x0 = If(cond) then_branch=(Gemm ...) else_branch=(Mul ...)}; every variable a branch rebinds
 * and both define becomes an output of the If.
 *
 * <p>Before: {@code for i in range(n): x1 = torch.add(x1, i)} with a dynamic n, or {@code while _0: ...} on a
 * tensor condition. After: {@code Loop(M, cond, x1)} whose body takes the iteration number, the condition and
 * every variable the body rebinds that was defined before the loop (the loop-carried values).
 */
final class ControlFlow {

    private final SymbolicContext ctx;
    private final Interpreter interpreter;
    private int counter;

    ControlFlow(SymbolicContext ctx, Interpreter interpreter) {
        this.ctx = ctx;
        this.interpreter = interpreter;
    }

    // ---- if --------------------------------------------------------------------------------------------------

    void lowerIf(Stmt.If stmt, SValue test, Frame frame) {
        boolean thenRaises = raises(stmt.body());
        boolean elseRaises = raises(stmt.orElse());
        if (thenRaises != elseRaises) {
            // A branch that only raises is an input check; ONNX cannot raise, so (as torch.onnx does) the model
            // keeps the path that computes something.
            interpreter.exec(thenRaises ? stmt.orElse() : stmt.body(), frame);
            return;
        }
        Value cond = interpreter.scalars().asBool(test);
        int id = counter++;
        Node node = new Node("", "If", ctx.freshName("/If_" + id));
        Graph outer = ctx.graph();
        Graph thenGraph = new Graph(ctx.freshName("then_branch_" + id));
        Graph elseGraph = new Graph(ctx.freshName("else_branch_" + id));
        thenGraph.attachAsSubgraph(outer, node);
        elseGraph.attachAsSubgraph(outer, node);
        Frame thenFrame = runBranch(stmt.body(), frame, thenGraph);
        Frame elseFrame = runBranch(stmt.orElse(), frame, elseGraph);

        List<String> merged = new ArrayList<>();
        List<SValue> mergedThen = new ArrayList<>();
        List<SValue> mergedElse = new ArrayList<>();
        for (Map.Entry<String, SValue> e : thenFrame.variables().entrySet()) {
            String name = e.getKey();
            if (name.equals(Interpreter.RETURN_SLOT) || !elseFrame.has(name)) {
                continue;
            }
            SValue a = e.getValue();
            SValue b = elseFrame.get(name);
            if (a == b || (a instanceof SValue.Const && a.equals(b))) {
                frame.put(name, a);
                continue;
            }
            if (!isTensorLike(a) || !isTensorLike(b)) {
                throw new SymbolicException("variable '" + name + "' is " + Describe.of(a) + " in one branch and "
                        + Describe.of(b) + " in the other of an if on a tensor; only tensors and numbers can differ");
            }
            merged.add(name);
            mergedThen.add(a);
            mergedElse.add(b);
        }
        if (merged.isEmpty()) {
            return; // neither branch computes anything used later
        }
        node.addInput(cond);
        node.setAttribute(Attribute.ofGraph("then_branch", thenGraph));
        node.setAttribute(Attribute.ofGraph("else_branch", elseGraph));
        List<DataType> types = new ArrayList<>();
        for (int i = 0; i < merged.size(); i++) {
            DataType type = commonType(mergedThen.get(i), mergedElse.get(i));
            types.add(type);
            branchOutput(thenGraph, mergedThen.get(i), type);
            branchOutput(elseGraph, mergedElse.get(i), type);
            node.addOutput(new Value(ctx.freshName(node.name() + "_" + merged.get(i)), null));
        }
        ctx.append(node);
        for (int i = 0; i < merged.size(); i++) {
            Value out = node.output(i);
            if (out.type() == null) {
                out.setType(new ValueType.TensorType(types.get(i), null));
            }
            frame.put(merged.get(i), asResult(out, mergedThen.get(i), mergedElse.get(i)));
        }
    }

    private Frame runBranch(List<Stmt> body, Frame frame, Graph graph) {
        Frame copy = frame.copy();
        ctx.pushGraph(graph);
        try {
            Interpreter.Flow flow = interpreter.exec(body, copy);
            if (flow != Interpreter.Flow.NORMAL) {
                throw new SymbolicException("return, break or continue inside an if on a tensor is not supported");
            }
        } finally {
            ctx.popGraph();
        }
        return copy;
    }

    private static boolean raises(List<Stmt> body) {
        if (body.isEmpty()) {
            return false;
        }
        Stmt last = body.get(body.size() - 1);
        if (last instanceof Stmt.Raise) {
            return true;
        }
        return last instanceof Stmt.ExprStmt e && e.value() instanceof Expr.Call c
                && c.func() instanceof Expr.Attribute a && a.name().equals("RaiseException");
    }

    // ---- loops -----------------------------------------------------------------------------------------------

    void lowerFor(Stmt.For stmt, SValue iter, Frame frame) {
        if (!(iter instanceof SValue.RangeV range)) {
            throw new SymbolicException("a for loop over " + Describe.of(iter) + " is not supported");
        }
        if (!(stmt.target() instanceof Expr.Name target)) {
            throw new SymbolicException("a for loop over a dynamic range needs a simple loop variable");
        }
        ScalarArithmetic scalars = interpreter.scalars();
        SValue span = scalars.apply("sub", List.of(range.stop(), range.start())).orElseThrow();
        SValue step = range.step();
        SValue trips = scalars.apply("floordiv", List.of(scalars.apply("sub", List.of(scalars.apply("add",
                List.of(span, step)).orElseThrow(), new SValue.Const(1L))).orElseThrow(), step)).orElseThrow();
        Value tripCount = ctx.op("Max", List.of(ctx.tensorOf(trips, DataType.INT64), ctx.scalarLong(0)));
        lowerLoop(stmt.body(), frame, tripCount, ctx.scalar(1, DataType.BOOL), (body, iterNum) -> {
            SValue index = scalars.apply("add", List.of(range.start(), scalars.apply("mul", List.of(
                    new SValue.DynScalar(iterNum, SValue.DynScalar.Kind.INT), step)).orElseThrow())).orElseThrow();
            body.put(target.id(), index);
        }, null);
    }

    void lowerWhile(Stmt.While stmt, SValue test, Frame frame) {
        Value cond = interpreter.scalars().asBool(test);
        lowerLoop(stmt.body(), frame, null, cond, (body, iterNum) -> {
        }, stmt.test());
    }

    private interface LoopBinder {
        void bind(Frame body, Value iterationNumber);
    }

    private void lowerLoop(List<Stmt> body, Frame frame, Value tripCount, Value cond, LoopBinder binder,
                           Expr continueTest) {
        Set<String> assigned = new LinkedHashSet<>();
        collectAssigned(body, assigned);
        List<String> carried = new ArrayList<>();
        for (String name : assigned) {
            if (frame.has(name) && isTensorLike(frame.get(name))) {
                carried.add(name);
            } else if (frame.has(name) && !(frame.get(name) instanceof SValue.Const c && c.isNone())) {
                throw new SymbolicException("variable '" + name + "' (" + Describe.of(frame.get(name))
                        + ") changes inside a loop on a tensor; only tensors and numbers can");
            }
        }
        int id = counter++;
        Node node = new Node("", "Loop", ctx.freshName("/Loop_" + id));
        Graph bodyGraph = new Graph(ctx.freshName("loop_body_" + id));
        bodyGraph.attachAsSubgraph(ctx.graph(), node);
        Value iterNum = new Value(ctx.freshName("iter_" + id), scalarType(DataType.INT64));
        Value condIn = new Value(ctx.freshName("cond_in_" + id), scalarType(DataType.BOOL));
        bodyGraph.addInput(iterNum);
        bodyGraph.addInput(condIn);
        Frame bodyFrame = frame.copy();
        List<Value> initial = new ArrayList<>();
        List<DataType> types = new ArrayList<>();
        for (String name : carried) {
            SValue init = frame.get(name);
            DataType type = typeOf(init);
            Value initTensor = ctx.tensorOf(init, type);
            initial.add(initTensor);
            types.add(type);
            ValueType.TensorType initType = initTensor.type() instanceof ValueType.TensorType t ? t : null;
            Value in = new Value(ctx.freshName(name + "_in_" + id), new ValueType.TensorType(type,
                    initType == null || initType.shape() == null ? null
                            : new io.mconv.ir.Shape(java.util.Collections.nCopies(initType.shape().rank(), io.mconv.ir.Dim.unknown()))));
            bodyGraph.addInput(in);
            bodyFrame.put(name, asResult(in, init, init));
        }
        ctx.pushGraph(bodyGraph);
        try {
            binder.bind(bodyFrame, iterNum);
            Interpreter.Flow flow = interpreter.exec(body, bodyFrame);
            if (flow != Interpreter.Flow.NORMAL) {
                throw new SymbolicException("return, break or continue inside a loop on a tensor is not supported");
            }
            Value condOut = continueTest == null ? condIn
                    : interpreter.scalars().asBool(interpreter.eval(continueTest, bodyFrame));
            branchOutput(bodyGraph, new SValue.TensorV(condOut), DataType.BOOL);
            for (int i = 0; i < carried.size(); i++) {
                branchOutput(bodyGraph, bodyFrame.get(carried.get(i)), types.get(i));
            }
        } finally {
            ctx.popGraph();
        }
        node.addInput(tripCount);
        node.addInput(cond);
        for (Value v : initial) {
            node.addInput(v);
        }
        node.setAttribute(Attribute.ofGraph("body", bodyGraph));
        for (String name : carried) {
            node.addOutput(new Value(ctx.freshName(node.name() + "_" + name), null));
        }
        ctx.append(node);
        for (int i = 0; i < carried.size(); i++) {
            Value out = node.output(i);
            if (out.type() == null) {
                out.setType(new ValueType.TensorType(types.get(i), null));
            }
            frame.put(carried.get(i), asResult(out, frame.get(carried.get(i)), frame.get(carried.get(i))));
        }
    }

    private static void collectAssigned(List<Stmt> body, Set<String> out) {
        for (Stmt s : body) {
            if (s instanceof Stmt.Assign a) {
                a.targets().forEach(t -> collectTargets(t, out));
            } else if (s instanceof Stmt.AugAssign a) {
                collectTargets(a.target(), out);
            } else if (s instanceof Stmt.AnnAssign a && a.value() != null) {
                collectTargets(a.target(), out);
            } else if (s instanceof Stmt.If i) {
                collectAssigned(i.body(), out);
                collectAssigned(i.orElse(), out);
            } else if (s instanceof Stmt.For f) {
                collectTargets(f.target(), out);
                collectAssigned(f.body(), out);
            } else if (s instanceof Stmt.While w) {
                collectAssigned(w.body(), out);
            }
        }
    }

    private static void collectTargets(Expr target, Set<String> out) {
        if (target instanceof Expr.Name n) {
            out.add(n.id());
        } else if (target instanceof Expr.TupleExpr t) {
            t.elements().forEach(e -> collectTargets(e, out));
        } else if (target instanceof Expr.ListExpr l) {
            l.elements().forEach(e -> collectTargets(e, out));
        }
    }

    // ---- values crossing the subgraph boundary ---------------------------------------------------------------

    private static boolean isTensorLike(SValue v) {
        return v instanceof SValue.TensorV || v instanceof SValue.DynScalar
                || v instanceof SValue.Const c && (c.value() instanceof Number || c.value() instanceof Boolean);
    }

    private DataType typeOf(SValue v) {
        if (v instanceof SValue.TensorV t) {
            return ctx.dtype(t.value());
        }
        if (v instanceof SValue.DynScalar d) {
            return kindType(d.kind());
        }
        Object c = ((SValue.Const) v).value();
        return c instanceof Boolean ? DataType.BOOL : c instanceof Double ? DataType.FLOAT : DataType.INT64;
    }

    private DataType commonType(SValue a, SValue b) {
        return a instanceof SValue.Const ? typeOf(b) : typeOf(a);
    }

    private static DataType kindType(SValue.DynScalar.Kind kind) {
        return switch (kind) {
            case INT -> DataType.INT64;
            case FLOAT -> DataType.FLOAT;
            case BOOL -> DataType.BOOL;
        };
    }

    /** Makes {@code v} an output of {@code graph}, produced inside it (subgraph outputs cannot be outer values). */
    private void branchOutput(Graph graph, SValue v, DataType type) {
        ctx.pushGraph(graph);
        try {
            Value t = ctx.cast(ctx.tensorOf(v, type), type);
            if (t.producer() == null || t.producer().graph() != graph) {
                t = ctx.op("Identity", List.of(t));
            }
            graph.addOutput(t);
        } finally {
            ctx.popGraph();
        }
    }

    /** The lowering value for a merged output: a dynamic scalar when both sides were scalars, else a tensor. */
    private static SValue asResult(Value out, SValue a, SValue b) {
        boolean scalarA = a instanceof SValue.DynScalar || a instanceof SValue.Const;
        boolean scalarB = b instanceof SValue.DynScalar || b instanceof SValue.Const;
        if (scalarA && scalarB) {
            SValue.DynScalar.Kind kind = a instanceof SValue.DynScalar d ? d.kind()
                    : b instanceof SValue.DynScalar d2 ? d2.kind()
                    : ((SValue.Const) a).value() instanceof Double ? SValue.DynScalar.Kind.FLOAT
                    : ((SValue.Const) a).value() instanceof Boolean ? SValue.DynScalar.Kind.BOOL
                    : SValue.DynScalar.Kind.INT;
            return new SValue.DynScalar(out, kind);
        }
        return new SValue.TensorV(out);
    }

    private static ValueType scalarType(DataType type) {
        return new ValueType.TensorType(type, io.mconv.ir.Shape.of());
    }
}
