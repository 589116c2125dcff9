using System.Globalization;
using Inference.Onnx.Runtime;

namespace Inference.Onnx.Tests.Runtime;

public sealed class CudaProviderSettingsTests
{
    [Fact]
    public void ProviderNameIsOrtsName()
    {
        Assert.Equal("CUDAExecutionProvider", CudaProviderSettings.ProviderName);
    }

    [Fact]
    public void DefaultsGiveOnlyDeviceZero()
    {
        var keys = CudaProviderSettings.ToOrtKeys(new ExecutionProviderOptions { Kind = ExecutionProviderKind.Cuda });

        Assert.Equal([new KeyValuePair<string, string>("device_id", "0")], keys);
    }

    [Fact]
    public void DeviceIdAndMemoryLimitBecomeOrtKeys()
    {
        const long Limit = 6L * 1024 * 1024 * 1024;
        var keys = CudaProviderSettings.ToOrtKeys(new ExecutionProviderOptions
        {
            Kind = ExecutionProviderKind.Cuda,
            CudaDeviceId = 3,
            CudaMemoryLimitBytes = Limit,
        });

        Assert.Equal(
            [new KeyValuePair<string, string>("device_id", "3"), new("gpu_mem_limit", "6442450944")],
            keys);
    }

    [Fact]
    public void ExtraKeysFollowTheOwnSettingsUnchanged()
    {
        var extra = new Dictionary<string, string>
        {
            ["cudnn_conv_algo_search"] = "HEURISTIC",
            ["arena_extend_strategy"] = "kSameAsRequested",
            ["do_copy_in_default_stream"] = "1",
        };
        var keys = CudaProviderSettings.ToOrtKeys(new ExecutionProviderOptions
        {
            Kind = ExecutionProviderKind.Cuda,
            CudaDeviceId = 1,
            CudaMemoryLimitBytes = 1,
            CudaOptions = extra,
        });

        Assert.Equal(2 + extra.Count, keys.Count);
        Assert.Equal("device_id", keys[0].Key);
        Assert.Equal("gpu_mem_limit", keys[1].Key);
        Assert.Equal(extra.OrderBy(kv => kv.Key, StringComparer.Ordinal), keys.Skip(2).OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void NumbersAreWrittenInvariantlyWhateverTheCulture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            // A culture whose group separator and digits differ from the invariant ones.
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
            var keys = CudaProviderSettings.ToOrtKeys(new ExecutionProviderOptions { CudaDeviceId = 12, CudaMemoryLimitBytes = 1234567 });

            Assert.Equal("12", keys[0].Value);
            Assert.Equal("1234567", keys[1].Value);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void NegativeDeviceIdIsRejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            CudaProviderSettings.ToOrtKeys(new ExecutionProviderOptions { Kind = ExecutionProviderKind.Cuda, CudaDeviceId = -1 }));

        Assert.Equal(-1, e.ActualValue);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public void NonPositiveMemoryLimitIsRejected(long limit)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            CudaProviderSettings.ToOrtKeys(new ExecutionProviderOptions { Kind = ExecutionProviderKind.Cuda, CudaMemoryLimitBytes = limit }));

        Assert.Equal(limit, e.ActualValue);
    }

    [Theory]
    [InlineData("device_id")]
    [InlineData("gpu_mem_limit")]
    public void KeysThatHaveTheirOwnSettingAreRejectedInExtraOptions(string key)
    {
        var options = new ExecutionProviderOptions
        {
            Kind = ExecutionProviderKind.Cuda,
            CudaOptions = new Dictionary<string, string> { [key] = "1" },
        };

        var e = Assert.Throws<ArgumentException>(() => CudaProviderSettings.ToOrtKeys(options));

        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }
}
