package io.mconv.torch.pickle;

/**
 * The pickle names a global that the allowlist does not hold, e.g. {@code os.system}. Nothing was called: the
 * unpickler stops at the GLOBAL opcode itself. Callers that classify files (a whole pickled {@code nn.Module} names
 * its class here) can read the module and name.
 */
public final class DisallowedGlobalException extends PickleException {

    private static final long serialVersionUID = 1L;

    private final String module;
    private final String name;

    public DisallowedGlobalException(long offset, String module, String name) {
        super(offset, "disallowed global " + PickleText.shorten(module + "." + name));
        this.module = module;
        this.name = name;
    }

    public String module() {
        return module;
    }

    public String name() {
        return name;
    }

    public String qualifiedName() {
        return module + "." + name;
    }
}
