package io.mconv.torch.export;

import io.mconv.torch.archive.PyTuple;
import io.mconv.torch.archive.ScriptObject;
import io.mconv.torch.script.ClassDef;
import io.mconv.torch.script.Expr;
import io.mconv.torch.script.Stmt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Lists every operator call in the code a model can run: the methods of the classes of every object in its module
 * tree and the functions they call. It reads the code without running it, so it finds operators on paths the
 * export would not take too; that is what a user wants when asking what is missing.
 */
final class OpScanner {

    private final ClassTable classes;
    private final List<OpUse> uses = new ArrayList<>();
    private final Set<String> scannedFunctions = new HashSet<>();
    private final Deque<String> pendingFunctions = new ArrayDeque<>();

    private OpScanner(ClassTable classes) {
        this.classes = classes;
    }

    static List<OpUse> scan(ClassTable classes, ScriptObject root) {
        OpScanner s = new OpScanner(classes);
        Set<String> classNames = new java.util.LinkedHashSet<>();
        collectClasses(root, classNames, new java.util.IdentityHashMap<>());
        for (String name : classNames) {
            Optional<ClassDef> cls = classes.classDef(name);
            cls.ifPresent(c -> c.methods().forEach(m -> s.scanBody(m.body())));
        }
        while (!s.pendingFunctions.isEmpty()) {
            String fn = s.pendingFunctions.pop();
            classes.function(fn).ifPresent(f -> s.scanBody(f.body()));
        }
        return s.uses;
    }

    private static void collectClasses(Object v, Set<String> out, Map<Object, Boolean> seen) {
        if (v == null || seen.put(v, Boolean.TRUE) != null) {
            return;
        }
        if (v instanceof ScriptObject o) {
            out.add(o.className());
            o.attributes().values().forEach(a -> collectClasses(a, out, seen));
        } else if (v instanceof List<?> l) {
            l.forEach(a -> collectClasses(a, out, seen));
        } else if (v instanceof PyTuple t) {
            t.elements().forEach(a -> collectClasses(a, out, seen));
        } else if (v instanceof Map<?, ?> m) {
            m.values().forEach(a -> collectClasses(a, out, seen));
        }
    }

    private void scanBody(List<Stmt> body) {
        for (Stmt s : body) {
            scanStmt(s);
        }
    }

    private void scanStmt(Stmt s) {
        if (s instanceof Stmt.Assign a) {
            scanExpr(a.value());
            a.targets().forEach(this::scanExpr);
        } else if (s instanceof Stmt.AnnAssign a) {
            if (a.value() != null) {
                scanExpr(a.value());
            }
        } else if (s instanceof Stmt.AugAssign a) {
            scanExpr(a.value());
        } else if (s instanceof Stmt.ExprStmt e) {
            scanExpr(e.value());
        } else if (s instanceof Stmt.Return r) {
            if (r.value() != null) {
                scanExpr(r.value());
            }
        } else if (s instanceof Stmt.If i) {
            scanExpr(i.test());
            scanBody(i.body());
            scanBody(i.orElse());
        } else if (s instanceof Stmt.For f) {
            scanExpr(f.iter());
            scanBody(f.body());
        } else if (s instanceof Stmt.While w) {
            scanExpr(w.test());
            scanBody(w.body());
        } else if (s instanceof Stmt.Def d) {
            scanBody(d.function().body());
        }
    }

    private void scanExpr(Expr e) {
        if (e == null) {
            return;
        }
        if (e instanceof Expr.Call c) {
            String name = dotted(c.func());
            if (name != null) {
                record(name, c);
            } else {
                scanExpr(c.func());
            }
            c.args().forEach(this::scanExpr);
            c.keywords().forEach(k -> scanExpr(k.value()));
        } else if (e instanceof Expr.Attribute a) {
            scanExpr(a.value());
        } else if (e instanceof Expr.Subscript s) {
            scanExpr(s.value());
            scanExpr(s.index());
        } else if (e instanceof Expr.Slice s) {
            scanExpr(s.lower());
            scanExpr(s.upper());
            scanExpr(s.step());
        } else if (e instanceof Expr.TupleExpr t) {
            t.elements().forEach(this::scanExpr);
        } else if (e instanceof Expr.ListExpr l) {
            l.elements().forEach(this::scanExpr);
        } else if (e instanceof Expr.DictExpr d) {
            d.keys().forEach(this::scanExpr);
            d.values().forEach(this::scanExpr);
        } else if (e instanceof Expr.BinOp b) {
            scanExpr(b.left());
            scanExpr(b.right());
        } else if (e instanceof Expr.UnaryOp u) {
            scanExpr(u.operand());
        } else if (e instanceof Expr.Compare c) {
            c.operands().forEach(this::scanExpr);
        } else if (e instanceof Expr.BoolOp b) {
            b.values().forEach(this::scanExpr);
        } else if (e instanceof Expr.IfExp i) {
            scanExpr(i.test());
            scanExpr(i.body());
            scanExpr(i.orElse());
        } else if (e instanceof Expr.Starred s) {
            scanExpr(s.value());
        }
    }

    private void record(String name, Expr.Call c) {
        String op = null;
        if (name.startsWith("torch.")) {
            op = "aten::" + name.substring("torch.".length());
        } else if (name.startsWith("ops.aten.")) {
            op = "aten::" + name.substring("ops.aten.".length());
        } else if (name.startsWith("ops.")) {
            op = name.substring("ops.".length()).replaceFirst("\\.", "::");
        } else if (name.startsWith("__torch__.")) {
            if (scannedFunctions.add(name)) {
                pendingFunctions.push(name);
            }
        }
        if (op != null) {
            uses.add(new OpUse(op, c.pos(), classes.sourceLine(c.pos())));
        }
    }

    /** {@code torch.nn.functional.relu} for a chain of attribute accesses on a name, else null. */
    private static String dotted(Expr e) {
        if (e instanceof Expr.Name n) {
            return n.id();
        }
        if (e instanceof Expr.Attribute a) {
            String base = dotted(a.value());
            return base == null ? null : base + "." + a.name();
        }
        return null;
    }
}
