package dev.hearth.symbolizer;

/**
 * One line of /proc/PID/maps.
 *
 * @param path    the mapped file as the process sees it (without " (deleted)"), a pseudo name such as
 *                {@code [vdso]} or {@code [heap]}, or "" for anonymous memory
 * @param deleted the file was deleted (or replaced) after it was mapped
 * @param fileKey identity of the file independent of its path: device and inode
 */
record Mapping(
        long start,
        long end,
        boolean readable,
        boolean executable,
        long fileOffset,
        int devMajor,
        int devMinor,
        long inode,
        String path,
        boolean deleted,
        String fileKey) {

    Mapping(
            long start,
            long end,
            boolean readable,
            boolean executable,
            long fileOffset,
            int devMajor,
            int devMinor,
            long inode,
            String path,
            boolean deleted) {
        this(
                start,
                end,
                readable,
                executable,
                fileOffset,
                devMajor,
                devMinor,
                inode,
                path,
                deleted,
                devMajor + ":" + devMinor + ":" + inode);
    }

    boolean contains(long addr) {
        return Long.compareUnsigned(addr, start) >= 0 && Long.compareUnsigned(addr, end) < 0;
    }

    boolean isFile() {
        return inode != 0 && path.startsWith("/");
    }

    boolean isAnonymous() {
        return path.isEmpty() || path.startsWith("[anon");
    }

    /** Offset in the mapped file of an address inside this mapping. */
    long toFileOffset(long addr) {
        return addr - start + fileOffset;
    }

    String baseName() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
