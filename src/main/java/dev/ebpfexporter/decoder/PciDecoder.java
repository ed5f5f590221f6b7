package dev.ebpfexporter.decoder;

import java.util.Optional;
import java.util.function.BiFunction;

/**
 * {@code pci_vendor}, {@code pci_device}, {@code pci_class}, {@code pci_subclass}: a decimal id
 * (from a preceding {@code uint}) as its name in pci.ids. Without a pci.ids the label is
 * {@code missing pci.ids db}; an id it lacks reads {@code unknown pci <kind>: 0x<hex>}.
 */
record PciDecoder(PciIds ids, Naming naming) implements Decoder {
    private static final byte[] MISSING = Inputs.bytes("missing pci.ids db");

    /** The name of one id in the database, or the text that says it is unknown. */
    @FunctionalInterface
    interface Naming {
        String name(PciDatabase database, long id);
    }

    @Override
    public byte[] decode(byte[] in) throws DecoderException {
        var database = ids.database();
        if (database.isEmpty()) {
            return MISSING;
        }
        return Inputs.bytes(naming.name(database.get(), Inputs.signedDecimal(in)));
    }

    /** The vendor id, 16 bits. */
    static PciDecoder vendor(PciIds ids) {
        return byKey(ids, 2, PciDatabase::vendor, "vendor");
    }

    /** Vendor and device ids as {@code vendor << 16 | device}. */
    static PciDecoder device(PciIds ids) {
        return byKey(ids, 4, PciDatabase::device, "device");
    }

    /** The base class, the top byte of the kernel's 24-bit {@code pci_dev.class}. */
    static PciDecoder pciClass(PciIds ids) {
        return byKey(ids, 2, PciDatabase::pciClass, "class");
    }

    /** An id looked up by its hex text of {@code bytes} bytes. */
    private static PciDecoder byKey(PciIds ids, int bytes, BiFunction<PciDatabase, String, Optional<String>> lookup,
                                    String kind) {
        return new PciDecoder(ids, (database, id) -> {
            String key = Inputs.hex(id, bytes);
            return lookup.apply(database, key).orElse("unknown pci " + kind + ": 0x" + key);
        });
    }

    /** Class and subclass as {@code class << 8 | subclass}. */
    static PciDecoder subclass(PciIds ids) {
        return new PciDecoder(ids, (database, id) -> {
            String classKey = Inputs.hex(id >> 8, 2);
            if (database.pciClass(classKey).isEmpty()) {
                return "unknown pci class: 0x" + classKey;
            }
            String subclassKey = Inputs.hex(id & 0xff, 2);
            return database.subclass(classKey, subclassKey)
                    .orElse("unknown pci subclass: 0x" + subclassKey + " (class 0x" + classKey + ")");
        });
    }
}
