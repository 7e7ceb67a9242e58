package io.bktec.watch;

import io.bktec.process.ProcessGroups;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Stacks from a live process: the signal is sent, and the file read once faulthandler has written (it writes from
 * its signal handler, at once, whatever the process is doing; what it wrote is taken once the file stops growing).
 */
public final class SignalledStacks implements StackTaker {
    private static final Duration POLL = Duration.ofMillis(20);
    /** A process that writes nothing in this time has no handler (or no longer exists). */
    private static final Duration PATIENCE = Duration.ofSeconds(2);

    @Override
    public Mono<Stack> take(long pid, int signal, Path file) {
        return Mono.fromCallable(() -> size(file)).subscribeOn(Schedulers.boundedElastic()).flatMap(before -> {
            if (!ProcessGroups.signalProcess((int) pid, signal)) {
                return Mono.empty();
            }
            long[] last = {before};
            return Flux.interval(POLL, Schedulers.boundedElastic())
                    .map(tick -> size(file))
                    .filter(size -> {
                        boolean settled = size > before && size == last[0];
                        last[0] = size;
                        return settled;
                    })
                    .next()
                    .take(PATIENCE)
                    .map(size -> new Stack(read(file, before, size)));
        });
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String read(Path file, long from, long to) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[(int) Math.min(to - from, 4 << 20)];
            in.seek(from);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
