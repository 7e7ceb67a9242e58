package io.bktec.watch;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class StackTest {
    /** As faulthandler writes it: the other thread first, the thread that took the signal last. */
    static final String DEADLOCK = """
            Thread 0x00007f3d2c1ff640 (most recent call first):
              File "/usr/lib/python3.11/threading.py", line 320 in wait
              File "/builds/app/tests/test_locks.py", line 9 in other
              File "/usr/lib/python3.11/threading.py", line 975 in run

            Current thread 0x00007f3d3a0b7740 (most recent call first):
              File "/builds/app/tests/test_locks.py", line 17 in test_deadlock
              File "/usr/lib/python3.11/site-packages/_pytest/python.py", line 166 in pytest_pyfunc_call
            """;

    @Test
    void theTestsFileIsFoundInTheThreadThatTookTheSignalFirst() {
        Stack stack = new Stack(DEADLOCK);
        assertThat(stack.threads()).hasSize(2);
        assertThat(stack.threads().get(0).get(0)).isEqualTo(new Stack.Frame("/builds/app/tests/test_locks.py", 17,
                "test_deadlock"));
        assertThat(stack.whereIn("tests/test_locks.py")).contains("tests/test_locks.py:17 (in test_deadlock)");
    }

    @Test
    void otherThreadsCountWhenTheMainThreadIsElsewhere() {
        Stack stack = new Stack("""
                Thread 0x1 (most recent call first):
                  File "/builds/app/tests/test_pool.py", line 4 in work

                Current thread 0x2 (most recent call first):
                  File "/usr/lib/python3.11/concurrent/futures/thread.py", line 80 in result
                """);
        assertThat(stack.whereIn("tests/test_pool.py")).contains("tests/test_pool.py:4 (in work)");
        assertThat(stack.whereIn("tests/test_other.py")).isEmpty();
        assertThat(Stack.none().whereIn("tests/test_pool.py")).isEmpty();
    }

    @Test
    void reasonsNameTheDurationAndTheLine() {
        Stack stack = new Stack(DEADLOCK);
        assertThat(new Interruption.TimedOut("tests/test_locks.py::test_deadlock", Duration.ofSeconds(30), false, stack)
                .reason()).isEqualTo("timed out after 30 s at tests/test_locks.py:17 (in test_deadlock)");
        assertThat(new Interruption.TimedOut("tests/test_locks.py", Duration.ofSeconds(3), true, Stack.none()).reason())
                .isEqualTo("collecting tests/test_locks.py timed out after 3 s");
        assertThat(new Interruption.Cancelled("tests/test_locks.py::test_deadlock", Duration.ofMillis(9812), stack)
                .reason()).isEqualTo("still running when the job was cancelled (after 9.8 s) at tests/test_locks.py:17 "
                + "(in test_deadlock)");
        assertThat(Interruption.seconds(Duration.ofMinutes(20))).isEqualTo("20 min");
        assertThat(Interruption.seconds(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(new Interruption.OutOfMemory("t.py::big").explainsTheExit()).isTrue();
        assertThat(new Interruption.Cancelled("t.py::x", Duration.ZERO, stack).explainsTheExit()).isFalse();
    }
}
