package dev.ebpfexporter.decoder;

/** {@code cgroup}: a decimal cgroup id as its cgroupfs path, else {@code unknown_cgroup_id:<id>}. */
record CgroupDecoder(CgroupPaths cgroups) implements Decoder {
    @Override
    public byte[] decode(byte[] in) throws DecoderException {
        long id = Inputs.signedDecimal(in);
        return Inputs.bytes(cgroups.path(id).orElse("unknown_cgroup_id:" + id));
    }
}
