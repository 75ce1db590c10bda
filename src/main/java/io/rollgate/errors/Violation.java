package io.rollgate.errors;

/** One reason a piece of input was refused: the field (a JSON path or parameter name) and why. */
public record Violation(String field, String reason) {
}
