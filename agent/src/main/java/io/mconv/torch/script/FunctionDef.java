package io.mconv.torch.script;

import java.util.List;

/**
 * {@code def name(params) -> returns: body}. The first parameter of a method is {@code self} (typed with the
 * class's qualified name). returns is null when not annotated.
 */
public record FunctionDef(String name, List<Param> params, Expr returns, List<Stmt> body, SourcePos pos) {

    public FunctionDef {
        params = List.copyOf(params);
        body = List.copyOf(body);
    }

    /** One parameter: {@code x: Tensor}, {@code dim: int=1}; annotation and defaultValue may be null. */
    public record Param(String name, Expr annotation, Expr defaultValue, SourcePos pos) {
    }
}
