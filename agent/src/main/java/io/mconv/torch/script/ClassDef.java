package io.mconv.torch.script;

import java.util.List;
import java.util.Optional;

/**
 * {@code class Name(Base): ...} as torch serializes a scripted module, a NamedTuple or an interface: class-level
 * statements ({@code __parameters__ = ["weight", ]}, {@code weight : Tensor}, {@code __annotations__[...]} are
 * kept in order in {@code statements}, methods in {@code methods}).
 */
public record ClassDef(String name, List<Expr> bases, List<Stmt> statements, List<FunctionDef> methods,
                       SourcePos pos) {

    public ClassDef {
        bases = List.copyOf(bases);
        statements = List.copyOf(statements);
        methods = List.copyOf(methods);
    }

    public Optional<FunctionDef> method(String methodName) {
        return methods.stream().filter(m -> m.name().equals(methodName)).findFirst();
    }
}
