package io.bktec.config;

import java.util.List;

/**
 * One configurable value: its CLI flag, the environment variables it falls back to (first non-absent wins),
 * its type and default. The same table drives parsing and the help text, so the two cannot drift apart.
 */
public record Setting(String flag, List<String> envs, SettingKind kind, String defaultValue, String description,
                      boolean hidden) {

    public Setting {
        envs = List.copyOf(envs);
    }

    /** The key under which validation problems are reported: the primary env var, as bktec does. */
    public String key() {
        return envs.isEmpty() ? flag : envs.get(0);
    }

    public String optionName() {
        return "--" + flag;
    }
}
