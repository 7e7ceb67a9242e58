package io.bktec.config;

/** How a setting's raw text is parsed; the rules follow urfave/cli v3 as bktec v3 uses it. */
public enum SettingKind {
    STRING,
    INT,
    BOOL,
    DURATION
}
