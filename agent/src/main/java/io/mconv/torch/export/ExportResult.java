package io.mconv.torch.export;

import io.mconv.ir.Model;

import java.util.List;

/** The exported model and what the exporter wants the user to know (inputs it guessed, branches it dropped). */
public record ExportResult(Model model, List<String> warnings) {

    public ExportResult {
        warnings = List.copyOf(warnings);
    }
}
