package dev.ebpfexporter.exposition;

/** A family that cannot be written as it is (a reserved label, a name another family has). */
public final class FamilyException extends RuntimeException {
    public FamilyException(String message) {
        super(message);
    }
}
