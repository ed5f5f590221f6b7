package dev.ebpfexporter.decoder;

/**
 * {@code pci_vendor}, {@code pci_device}, {@code pci_class}, {@code pci_subclass}: a decimal id
 * (from a preceding {@code uint}) as its name in pci.ids. Without a pci.ids the label is
 * {@code missing pci.ids db}; an id it lacks reads {@code unknown pci <kind>: 0x<hex>}.
 */
abstract sealed class PciDecoder implements Decoder
        permits PciDecoder.Vendor, PciDecoder.Device, PciDecoder.PciClass, PciDecoder.Subclass {
    private static final byte[] MISSING = Inputs.bytes("missing pci.ids db");

    private final PciIds ids;

    PciDecoder(PciIds ids) {
        this.ids = ids;
    }

    @Override
    public final byte[] decode(byte[] in) throws DecoderException {
        var database = ids.database();
        if (database.isEmpty()) {
            return MISSING;
        }
        return Inputs.bytes(name(database.get(), Inputs.signedDecimal(in)));
    }

    abstract String name(PciDatabase database, long id);

    /** The vendor id, 16 bits. */
    static final class Vendor extends PciDecoder {
        Vendor(PciIds ids) {
            super(ids);
        }

        @Override
        String name(PciDatabase database, long id) {
            String key = Inputs.hex(id, 2);
            return database.vendor(key).orElse("unknown pci vendor: 0x" + key);
        }
    }

    /** Vendor and device ids as {@code vendor << 16 | device}. */
    static final class Device extends PciDecoder {
        Device(PciIds ids) {
            super(ids);
        }

        @Override
        String name(PciDatabase database, long id) {
            String key = Inputs.hex(id, 4);
            return database.device(key).orElse("unknown pci device: 0x" + key);
        }
    }

    /** The base class, the top byte of the kernel's 24-bit {@code pci_dev.class}. */
    static final class PciClass extends PciDecoder {
        PciClass(PciIds ids) {
            super(ids);
        }

        @Override
        String name(PciDatabase database, long id) {
            String key = Inputs.hex(id, 2);
            return database.pciClass(key).orElse("unknown pci class: 0x" + key);
        }
    }

    /** Class and subclass as {@code class << 8 | subclass}. */
    static final class Subclass extends PciDecoder {
        Subclass(PciIds ids) {
            super(ids);
        }

        @Override
        String name(PciDatabase database, long id) {
            String classKey = Inputs.hex(id >> 8, 2);
            if (database.pciClass(classKey).isEmpty()) {
                return "unknown pci class: 0x" + classKey;
            }
            String subclassKey = Inputs.hex(id & 0xff, 2);
            return database.subclass(classKey, subclassKey)
                    .orElse("unknown pci subclass: 0x" + subclassKey + " (class 0x" + classKey + ")");
        }
    }
}
