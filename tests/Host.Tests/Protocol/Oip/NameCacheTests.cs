using System.Text;
using System.Text.Json;
using Inference.Host.Protocol.Oip;

namespace Inference.Host.Tests.Protocol.Oip;

public sealed class NameCacheTests
{
    [Fact]
    public void ARepeatedNameIsTheSameString()
    {
        var cache = new NameCache();

        var first = Name(cache, "\"INPUT0\"");
        var second = Name(cache, "\"INPUT0\"");
        var other = Name(cache, "\"INPUT1\"");

        Assert.Equal("INPUT0", first);
        Assert.Same(first, second);
        Assert.Equal("INPUT1", other);
    }

    [Fact]
    public void EscapedNamesAreReadExactly()
    {
        var cache = new NameCache();
        Name(cache, "\"a\"");

        Assert.Equal("a", Name(cache, "\"\\u0061\""));
        Assert.Equal("é\"", Name(cache, "\"\\u00e9\\\"\""));
    }

    [Fact]
    public void PastItsCapacityTheCacheStillAnswersEveryName()
    {
        var cache = new NameCache();
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal($"n{i}", Name(cache, $"\"n{i}\""));
            Assert.Equal($"n{i}", Name(cache, $"\"n{i}\""));
        }

        var longName = new string('x', 500);
        Assert.Equal(longName, Name(cache, $"\"{longName}\""));
    }

    [Fact]
    public void InvalidUtf8FailsAsTheRuntimeReaderDoes()
    {
        var cache = new NameCache();
        var json = new byte[] { (byte)'"', 0xC3, 0x28, (byte)'"' };

        Assert.Throws<InvalidOperationException>(() =>
        {
            var reader = new Utf8JsonReader(json);
            reader.Read();
            return cache.Get(ref reader);
        });
    }

    private static string Name(NameCache cache, string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return cache.Get(ref reader);
    }
}
