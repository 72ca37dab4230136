package io.mconv.torch.export;

import io.mconv.onnx.io.InvalidModelException;
import io.mconv.torch.archive.TorchScriptArchive;
import io.mconv.torch.script.ClassDef;
import io.mconv.torch.script.FunctionDef;
import io.mconv.torch.script.ParserLimits;
import io.mconv.torch.script.ScriptFile;
import io.mconv.torch.script.ScriptParser;
import io.mconv.torch.script.ScriptSyntaxException;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The archive's classes and functions by qualified name, parsed from their code files on first use (a model's
 * code is small; each file is parsed once).
 */
final class ClassTable {

    private final TorchScriptArchive archive;
    private final Map<String, ScriptFile> parsedByEntry = new HashMap<>();
    private final Map<String, String[]> linesByEntry = new HashMap<>();

    ClassTable(TorchScriptArchive archive) {
        this.archive = archive;
    }

    /** The class {@code __torch__.a.b.C}, or empty when no code file defines it. */
    Optional<ClassDef> classDef(String qualifiedName) {
        return fileFor(qualifiedName).flatMap(f -> f.classes().stream()
                .filter(c -> c.name().equals(simpleName(qualifiedName))).findFirst());
    }

    /** A top-level function {@code __torch__.a.b.f}. */
    Optional<FunctionDef> function(String qualifiedName) {
        return fileFor(qualifiedName).flatMap(f -> f.functions().stream()
                .filter(fn -> fn.name().equals(simpleName(qualifiedName))).findFirst());
    }

    private Optional<ScriptFile> fileFor(String qualifiedName) {
        return archive.codeFileFor(qualifiedName).map(code -> parsedByEntry.computeIfAbsent(code.entryName(),
                e -> {
                    linesByEntry.put(e, code.source().split("\\n", -1));
                    try {
                        return ScriptParser.parse(code.entryName(), code.source(), ParserLimits.of(archive.limits()));
                    } catch (ScriptSyntaxException syntax) {
                        // A code file mconv cannot read is a problem with the input file (exit 3), not with mconv.
                        throw new InvalidModelException(archive.path(), syntax.getMessage(), syntax);
                    }
                }));
    }

    /** The text of the line {@code pos} points at, for error messages; empty when unknown. */
    String sourceLine(io.mconv.torch.script.SourcePos pos) {
        String[] lines = pos == null ? null : linesByEntry.get(pos.file());
        if (lines == null) {
            return "";
        }
        return pos.line() >= 1 && pos.line() <= lines.length ? lines[pos.line() - 1] : "";
    }

    private static String simpleName(String qualifiedName) {
        return qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
    }
}
