package io.mconv.ir;

/** One use of a value: the consuming node and the input slot the value fills there. */
public record Usage(Node node, int inputIndex) {
}
