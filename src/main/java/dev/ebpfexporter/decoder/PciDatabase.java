package dev.ebpfexporter.decoder;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Names from a pci.ids file, keyed by lowercase hex ids as the file writes them: vendors
 * ({@code 8086}), devices by vendor and device ({@code 80861000}), classes ({@code 02}) and
 * subclasses by class and subclass ({@code 0200}).
 */
public record PciDatabase(Map<String, String> vendors, Map<String, String> devices,
                          Map<String, String> classes, Map<String, String> subclasses) {

    public Optional<String> vendor(String vendorId) {
        return Optional.ofNullable(vendors.get(vendorId));
    }

    public Optional<String> device(String vendorAndDeviceId) {
        return Optional.ofNullable(devices.get(vendorAndDeviceId));
    }

    public Optional<String> pciClass(String classId) {
        return Optional.ofNullable(classes.get(classId));
    }

    public Optional<String> subclass(String classId, String subclassId) {
        return Optional.ofNullable(subclasses.get(classId + subclassId));
    }

    /**
     * Vendors are unindented, their devices indented by one tab (subsystems by two, ignored);
     * {@code C xx} lines open a class whose subclasses are indented by one tab.
     */
    public static PciDatabase parse(List<String> lines) {
        Map<String, String> vendors = new HashMap<>();
        Map<String, String> devices = new HashMap<>();
        Map<String, String> classes = new HashMap<>();
        Map<String, String> subclasses = new HashMap<>();
        String vendor = null;
        String pciClass = null;
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("C ")) {
                String[] idName = idAndName(line.substring(2));
                pciClass = idName[0];
                vendor = null;
                classes.put(pciClass, idName[1]);
            } else if (!line.startsWith("\t")) {
                String[] idName = idAndName(line);
                vendor = idName[0];
                pciClass = null;
                vendors.put(vendor, idName[1]);
            } else if (!line.startsWith("\t\t")) {
                String[] idName = idAndName(line.substring(1));
                if (vendor != null) {
                    devices.put(vendor + idName[0], idName[1]);
                } else if (pciClass != null) {
                    subclasses.put(pciClass + idName[0], idName[1]);
                }
            }
        }
        return new PciDatabase(Map.copyOf(vendors), Map.copyOf(devices), Map.copyOf(classes), Map.copyOf(subclasses));
    }

    private static String[] idAndName(String text) {
        int space = text.indexOf(' ');
        if (space < 0) {
            return new String[] {text.trim(), ""};
        }
        return new String[] {text.substring(0, space), text.substring(space).trim()};
    }
}
