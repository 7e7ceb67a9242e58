package io.bktec.process;

import com.zaxxer.nuprocess.NuAbstractProcessHandler;
import com.zaxxer.nuprocess.NuProcess;
import com.zaxxer.nuprocess.NuProcessBuilder;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one test command as a child process, without a shell interpreting it, and reports how it ended.
 * <p>
 * The child is started as {@code setsid /bin/sh -c 'trap : TERM INT HUP; "$@" </dev/null; exit $?' bktec-child argv…}: setsid makes it
 * the leader of a new session and process group (so a cancel reaches its grandchildren too, and the agent's
 * signals to our group do not hit it twice), and the small sh parent turns "killed by signal N" into 128+N, which
 * NuProcess alone cannot tell from an exit code N. The argv is passed as positional parameters, never parsed by sh.
 * <p>
 * NuProcess reports an exit only once every holder of the output pipes has closed them, so a background process a
 * test leaves behind would hold the run open for as long as it lives: once the leader has exited, whatever is left
 * of its group is killed.
 * <p>
 * The leader's exit is seen through the JDK ({@link ProcessHandle#onExit()} waits with {@code waitid(WNOWAIT)},
 * leaving the reaping to NuProcess). NuProcess itself finds an exit that races its pipes closing only on its next
 * poll, 100 ms later; asking it to write to the child's stdin wakes its event loop, which then reaps at once.
 */
public final class TestProcess implements ProcessLauncher {
    /**
     * The trap keeps sh alive until the test command exits when a cancel signal reaches the whole group (a caught
     * signal, unlike an ignored one, is reset to default in the command), so a test that handles SIGTERM slowly is
     * not treated as finished when its shell parent would otherwise have died first.
     */
    private static final String WRAPPER = "trap : TERM INT HUP; \"$@\" </dev/null; exit $?";
    /**
     * The same, the command's stdout going to the path in $1 ({@link DirectStdout}); should that path not be writable
     * here after all, the output goes the usual way rather than the command not running.
     */
    private static final String DIRECT_WRAPPER = "o=$1; shift; trap : TERM INT HUP; if [ -w \"$o\" ]; "
            + "then \"$@\" </dev/null >>\"$o\"; else \"$@\" </dev/null; fi; exit $?";
    /** The same for a child that reads commands on its standard input. */
    private static final String INTERACTIVE_WRAPPER = "trap : TERM INT HUP; \"$@\"; exit $?";

    private final ProcessRegistry registry;
    private final Map<String, String> environment;
    private final Path workingDirectory;

    public TestProcess(ProcessRegistry registry, Map<String, String> environment, Path workingDirectory) {
        this.registry = registry;
        this.environment = environment;
        this.workingDirectory = workingDirectory;
    }

    static List<String> wrap(List<String> argv) {
        return wrap(argv, WRAPPER);
    }

    private static List<String> wrap(List<String> argv, String wrapper) {
        List<String> command = new ArrayList<>(argv.size() + 5);
        command.add("setsid");
        command.add("/bin/sh");
        command.add("-c");
        command.add(wrapper);
        command.add("bktec-child");
        command.addAll(argv);
        return command;
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** Starts the process on subscription; cancelling the subscription kills its process group. */
    @Override
    public Mono<ChildExit> run(List<String> argv, Map<String, String> extraEnvironment, OutputSink output) {
        return Mono.create(sink -> start(argv, extraEnvironment, output, null, sink));
    }

    /** As {@link #run}, for a child that reads lines from {@code input} on its standard input. */
    @Override
    public Mono<ChildExit> run(List<String> argv, Map<String, String> extraEnvironment, OutputSink output,
                               ProcessInput input) {
        return Mono.create(sink -> start(argv, extraEnvironment, output, input, sink));
    }

    private void start(List<String> argv, Map<String, String> extraEnvironment, OutputSink output, ProcessInput input,
                       MonoSink<ChildExit> sink) {
        if (registry.cancelled()) {
            sink.success(new ChildExit.NotStarted("the run was cancelled"));
            return;
        }
        Handler handler = new Handler(output, sink, input);
        Map<String, String> env = environment;
        if (!extraEnvironment.isEmpty()) {
            env = new java.util.HashMap<>(environment);
            env.putAll(extraEnvironment);
        }
        Optional<String> direct = input == null ? output.directStdout() : Optional.empty();
        List<String> command = direct.isPresent() ? wrap(prepend(direct.get(), argv), DIRECT_WRAPPER)
                : wrap(argv, input == null ? WRAPPER : INTERACTIVE_WRAPPER);
        NuProcessBuilder builder = new NuProcessBuilder(command, env);
        builder.setCwd(workingDirectory);
        builder.setProcessListener(handler);
        FastExit.nativeLoopStarted();
        NuProcess process = builder.start();
        if (process == null || process.getPID() <= 0) {
            handler.startFailed();
            return;
        }
        sink.onCancel(() -> {
            if (process.isRunning()) {
                registry.kill(process.getPID(), Signals.SIGKILL);
            }
        });
    }

    private final class Handler extends NuAbstractProcessHandler {
        private final OutputSink output;
        private final MonoSink<ChildExit> sink;
        private final ProcessInput input;
        private volatile int pid;
        private volatile boolean done;

        Handler(OutputSink output, MonoSink<ChildExit> sink, ProcessInput input) {
            this.output = output;
            this.sink = sink;
            this.input = input;
        }

        @Override
        public void onStart(NuProcess process) {
            pid = process.getPID();
            // stdin stays open (the test itself reads /dev/null): writing to it is how the exit wakes NuProcess.
            if (!registry.register(pid)) {
                // A cancel arrived while the process was starting: it was killed on the spot.
                pid = -pid;
                return;
            }
            if (input != null) {
                input.connect(line -> {
                    try {
                        process.writeStdin(java.nio.ByteBuffer.wrap((line + "\n").getBytes(
                                java.nio.charset.StandardCharsets.UTF_8)));
                    } catch (IllegalStateException exited) {
                        // its stdin is closed: the child is gone, and its exit is on its way
                    }
                });
            }
            int group = pid;
            ProcessHandle.of(group).ifPresent(leader -> leader.onExit().thenRun(() -> {
                if (!done) {
                    registry.killLeftovers(group);
                }
                try {
                    process.wantWrite();
                } catch (IllegalStateException alreadyReaped) {
                    // NuProcess saw the exit first and closed stdin
                }
            }));
        }

        @Override
        public boolean onStdinReady(ByteBuffer buffer) {
            return false; // nothing to send: the wake-up is all that was wanted
        }

        @Override
        public void onStdout(ByteBuffer buffer, boolean closed) {
            output.stdout(buffer);
        }

        @Override
        public void onStderr(ByteBuffer buffer, boolean closed) {
            output.stderr(buffer);
        }

        @Override
        public void onExit(int statusCode) {
            if (statusCode == Integer.MIN_VALUE) {
                startFailed();
                return;
            }
            int group = Math.abs(pid);
            ChildExit exit = classify(statusCode, group);
            registry.killLeftovers(group);
            registry.unregister(group);
            output.end();
            finish(exit);
        }

        void startFailed() {
            output.end();
            finish(new ChildExit.NotStarted("could not start setsid /bin/sh (util-linux and a POSIX shell are required)"));
        }

        private ChildExit classify(int code, int group) {
            if (code > 0 && code < 64 && registry.sent(group, code)) {
                return new ChildExit.Signalled(code); // the sh parent itself died of the signal we sent
            }
            if (code > 128 && code < 128 + 64) {
                return new ChildExit.Signalled(code - 128); // sh reports a child killed by signal N as 128+N
            }
            return new ChildExit.Exited(code);
        }

        private synchronized void finish(ChildExit exit) {
            if (input != null) {
                input.disconnect();
            }
            if (!done) {
                done = true;
                sink.success(exit);
            }
        }
    }
}
