package io.mconv.agent.export;

import io.mconv.ir.Model;

/** Test access to the converter's cleanup step, so export tests see the graph the converter writes. */
public final class TorchConverterTesting {

    private TorchConverterTesting() {
    }

    public static void cleanup(Model model) {
        TorchConverter.cleanup(model);
    }
}
