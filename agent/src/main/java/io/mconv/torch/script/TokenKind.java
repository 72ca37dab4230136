package io.mconv.torch.script;

/** The kinds of token {@link ScriptLexer} produces. */
public enum TokenKind {
    /** An identifier or a keyword; the parser tells them apart by text. */
    NAME,
    /** An integer literal; the value is a {@link java.math.BigInteger} (the parser refuses more than 64 bits). */
    INT,
    /** A float literal; the value is a {@link Double}. */
    FLOAT,
    /** A string literal; the value is the decoded {@link String}. */
    STRING,
    /** A bytes literal ({@code b'..'}); the value is a String of chars 0..255, one per byte. */
    BYTES,
    /** An operator or delimiter; the text says which. */
    OP,
    /** The end of a logical line. */
    NEWLINE,
    INDENT,
    DEDENT,
    END_OF_FILE
}
