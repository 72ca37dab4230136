package io.mconv.torch.symbolics;

import io.mconv.torch.export.SymbolicRegistry;

/** Registers every symbolic family mconv ships. */
public final class StandardSymbolics {

    private StandardSymbolics() {
    }

    public static void registerAll(SymbolicRegistry r) {
        ElementwiseSymbolics.register(r);
        ConvPoolSymbolics.register(r);
        NormSymbolics.register(r);
        LinearSymbolics.register(r);
        ActivationSymbolics.register(r);
        ShapeSymbolics.register(r);
        CreationSymbolics.register(r);
        IndexingSymbolics.register(r);
        RearrangeSymbolics.register(r);
        ReductionSymbolics.register(r);
        PadResizeSymbolics.register(r);
        AttentionSymbolics.register(r);
        RecurrentSymbolics.register(r);
    }
}
