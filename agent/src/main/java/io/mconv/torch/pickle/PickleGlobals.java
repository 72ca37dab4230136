package io.mconv.torch.pickle;

import io.mconv.torch.archive.PyGlobal;
import io.mconv.torch.archive.PyTuple;

/**
 * What a pickle's globals mean. The unpickler itself knows no Python: it asks this object whether a global may be
 * named at all (the allowlist), and what calling it (REDUCE), instantiating it (NEWOBJ), restoring state into an
 * object (BUILD) and loading a persistent id (BINPERSID) give. Implementations build plain values; they never
 * load classes or execute anything. They throw {@link IllegalArgumentException} for arguments they refuse; the
 * unpickler turns that into a {@link PickleException} at the opcode's offset.
 */
public interface PickleGlobals {

    /** Whether the pickle may name {@code module.name}; checked at GLOBAL and STACK_GLOBAL, before anything else. */
    boolean allows(String module, String name);

    /** REDUCE: the value of {@code callable(*args)}. */
    Object call(PyGlobal callable, PyTuple args);

    /** NEWOBJ: a new instance of {@code cls}. */
    Object newObject(PyGlobal cls, PyTuple args);

    /** BUILD: restores {@code state} into {@code target}, which stays on the stack. */
    void build(Object target, Object state);

    /** BINPERSID: the object a persistent id stands for. */
    Object persistentLoad(Object persistentId);
}
