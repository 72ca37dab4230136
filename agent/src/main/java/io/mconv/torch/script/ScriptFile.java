package io.mconv.torch.script;

import java.util.List;

/**
 * One parsed code file of a TorchScript archive ({@code code/__torch__/torchvision/models/resnet.py}): its
 * classes, top-level functions, and other top-level statements (imports are dropped by the parser; assignments
 * such as {@code op_version_set = 1} are kept).
 */
public record ScriptFile(String path, List<ClassDef> classes, List<FunctionDef> functions, List<Stmt> statements) {

    public ScriptFile {
        classes = List.copyOf(classes);
        functions = List.copyOf(functions);
        statements = List.copyOf(statements);
    }
}
