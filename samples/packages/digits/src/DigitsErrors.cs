namespace Inference.Samples.Digits;

/// <summary>The plugin's error codes; manifest.yaml gives each its description and handling strategy.</summary>
internal static class DigitsErrors
{
    public const int NotAnImage = 20001;
    public const int Truncated = 20002;
    public const int Crc = 20003;
    public const int Zlib = 20004;
    public const int ZeroSize = 20005;
    public const int TooLarge = 20006;
    public const int Interlaced = 20007;
    public const int Unsupported = 20008;
    public const int Malformed = 20009;
    public const int Blank = 20010;
    public const int LowConfidence = 20011;

    public static string Name(int code) => code switch
    {
        NotAnImage => "DIGITS_ERROR_NOT_AN_IMAGE",
        Truncated => "DIGITS_ERROR_TRUNCATED",
        Crc => "DIGITS_ERROR_CRC",
        Zlib => "DIGITS_ERROR_ZLIB",
        ZeroSize => "DIGITS_ERROR_ZERO_SIZE",
        TooLarge => "DIGITS_ERROR_TOO_LARGE",
        Interlaced => "DIGITS_ERROR_INTERLACED",
        Unsupported => "DIGITS_ERROR_UNSUPPORTED",
        Malformed => "DIGITS_ERROR_MALFORMED",
        Blank => "DIGITS_ERROR_BLANK",
        LowConfidence => "DIGITS_ERROR_LOW_CONFIDENCE",
        _ => "DIGITS_ERROR_UNKNOWN",
    };
}
