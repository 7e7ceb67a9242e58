package io.bktec.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Remembers yes/no answers that are slow to get (asking Python costs ~0.5 s behind a pyenv shim) together with the
 * files each answer depends on. An answer is reused only while every one of those files has the modification time
 * (or absence) it had when the answer was stored, and for at most {@link #MAX_AGE_MILLIS}; otherwise the caller
 * asks again. One line per answer; a damaged or unwritable cache file just means asking again.
 */
public final class ProbeCache {
    static final long MAX_AGE_MILLIS = TimeUnit.HOURS.toMillis(12);
    private static final int MAX_ENTRIES = 64;
    private static final long MISSING = -1;

    private final Path file;
    private final java.util.function.LongSupplier clock;

    ProbeCache(Path file, java.util.function.LongSupplier clock) {
        this.file = file;
        this.clock = clock;
    }

    /**
     * The cache under {@code BKTEC_CACHE_DIR}, else {@code $XDG_CACHE_HOME/bktec}, else {@code ~/.cache/bktec};
     * none when {@code BKTEC_CACHE_DIR=off} or there is no home to put it in.
     */
    public static Optional<ProbeCache> forEnvironment(Map<String, String> env, String fileName) {
        String configured = env.getOrDefault("BKTEC_CACHE_DIR", "");
        Path dir;
        if (configured.equals("off")) {
            return Optional.empty();
        } else if (!configured.isEmpty()) {
            dir = Path.of(configured);
        } else if (!env.getOrDefault("XDG_CACHE_HOME", "").isEmpty()) {
            dir = Path.of(env.get("XDG_CACHE_HOME"), "bktec");
        } else if (!env.getOrDefault("HOME", "").isEmpty()) {
            dir = Path.of(env.get("HOME"), ".cache", "bktec");
        } else {
            return Optional.empty();
        }
        return Optional.of(new ProbeCache(dir.resolve(fileName), System::currentTimeMillis));
    }

    @Override
    public String toString() {
        return file.toString();
    }

    /** The stored answer for this key, if it is young enough and nothing it depends on has changed. */
    public Optional<Boolean> lookup(String key) {
        for (Entry entry : read()) {
            if (entry.key().equals(key)) {
                long age = clock.getAsLong() - entry.storedAtMillis();
                if (age < 0 || age > MAX_AGE_MILLIS || !entry.stillValid()) {
                    return Optional.empty();
                }
                return Optional.of(entry.answer());
            }
        }
        return Optional.empty();
    }

    /** Stores an answer with the current stamps of the files it depends on; failures are ignored. */
    public void store(String key, boolean answer, List<Path> dependsOn) {
        List<Stamp> stamps = dependsOn.stream().distinct().map(p -> new Stamp(p.toString(), stampOf(p))).toList();
        List<Entry> entries = new ArrayList<>(read());
        entries.removeIf(e -> e.key().equals(key));
        entries.add(new Entry(key, answer, clock.getAsLong(), stamps));
        if (entries.size() > MAX_ENTRIES) {
            entries = new ArrayList<>(entries.subList(entries.size() - MAX_ENTRIES, entries.size()));
        }
        StringBuilder text = new StringBuilder();
        for (Entry entry : entries) {
            text.append(entry.line()).append('\n');
        }
        try {
            Files.createDirectories(file.getParent());
            // Written aside and renamed, so two runs storing at once never leave a half-written file.
            Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try {
                Files.writeString(temporary, text, StandardCharsets.UTF_8);
                try {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            // A read-only or missing home only costs the next run the slow answer.
        }
    }

    private List<Entry> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        for (String line : lines) {
            Entry.parse(line).ifPresent(entries::add);
        }
        return entries;
    }

    static long stampOf(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).lastModifiedTime().to(TimeUnit.NANOSECONDS);
        } catch (IOException | SecurityException e) {
            return MISSING;
        }
    }

    private record Stamp(String path, long modifiedNanos) {
        boolean unchanged() {
            try {
                return stampOf(Path.of(path)) == modifiedNanos;
            } catch (java.nio.file.InvalidPathException e) {
                return false;
            }
        }
    }

    private record Entry(String key, boolean answer, long storedAtMillis, List<Stamp> stamps) {
        boolean stillValid() {
            return stamps.stream().allMatch(Stamp::unchanged);
        }

        String line() {
            StringBuilder line = new StringBuilder(escape(key)).append('\t').append(answer).append('\t')
                    .append(storedAtMillis);
            for (Stamp stamp : stamps) {
                line.append('\t').append(escape(stamp.path())).append('\t').append(stamp.modifiedNanos());
            }
            return line.toString();
        }

        static Optional<Entry> parse(String line) {
            String[] fields = line.split("\t", -1);
            if (fields.length < 3 || fields.length % 2 == 0
                    || !(fields[1].equals("true") || fields[1].equals("false"))) {
                return Optional.empty();
            }
            try {
                List<Stamp> stamps = new ArrayList<>();
                for (int i = 3; i < fields.length; i += 2) {
                    stamps.add(new Stamp(unescape(fields[i]), Long.parseLong(fields[i + 1])));
                }
                return Optional.of(new Entry(unescape(fields[0]), Boolean.parseBoolean(fields[1]),
                        Long.parseLong(fields[2]), stamps));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    /** Tabs and newlines could appear in paths and environment values; the line format must not see them. */
    static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(switch (next) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
