package io.mconv.torch.archive;

/** The sentences every "not TorchScript" message shares: what to do instead. */
final class TorchSaveAdvice {

    static final String MAKE_TORCHSCRIPT = "Make a TorchScript file with "
            + "torch.jit.trace(model, example_input).save(\"model.pt\") or torch.jit.script(model).save(\"model.pt\")";
    static final String OR_ARCH = ", or pass --arch mlp:... to build an MLP from it";

    private TorchSaveAdvice() {
    }

    static String stateDict(String what, int tensors) {
        return "this is a PyTorch state_dict" + what + " (" + tensors + (tensors == 1 ? " tensor" : " tensors")
                + "), not TorchScript; it has weights but no code. " + MAKE_TORCHSCRIPT + OR_ARCH;
    }

    static String pickledModule(String what, String className) {
        return "this is a whole PyTorch module pickled with torch.save" + what + " (class " + className
                + "), not TorchScript; mconv never runs pickled Python classes. " + MAKE_TORCHSCRIPT;
    }

    static String otherPickle(String what) {
        return "this is " + what + ", not TorchScript. " + MAKE_TORCHSCRIPT;
    }
}
