namespace WarmGate.Kernels.Tuning;

/// <summary>What is wrong with a tuning table that could not be read or written.</summary>
public enum TuningTableError
{
    /// <summary>The file named (directly or by <c>WARMGATE_TUNING_TABLE</c>) does not exist.</summary>
    FileNotFound,

    /// <summary>The file or stream could not be read or written (I/O or permission error).</summary>
    IoFailed,

    /// <summary>The content is not valid JSON (empty, truncated, a syntax error); the message gives line and position.</summary>
    InvalidJson,

    /// <summary>The JSON is valid but is not a tuning table object, or a value has the wrong type.</summary>
    WrongType,

    /// <summary>A required field is missing (or null).</summary>
    MissingField,

    /// <summary>A field this schema version does not know (a typo, or a foreign file).</summary>
    UnknownField,

    /// <summary>The table was written by a newer WarmGate with a newer schema version.</summary>
    NewerSchema,

    /// <summary>Two entries share a (kernel, key).</summary>
    DuplicateEntry,

    /// <summary>A time is negative, NaN or infinite.</summary>
    InvalidTime,

    /// <summary>A string that must not be empty (a config, kernel id, hash, device field) is empty.</summary>
    EmptyValue,

    /// <summary>Another value is out of range (schema version below 1, multiprocessors not positive).</summary>
    InvalidValue,
}
