using Inference.Packaging.Archive;

namespace Inference.Packaging.Tests.Archive;

public sealed class PackageExceptionTests
{
    [Fact]
    public void CarriesTheErrorAsAValue()
    {
        var inner = new IOException("disk full");

        var exception = new PackageException(PackageErrorCode.Io, "entry 'model.onnx' could not be written: disk full", inner);

        Assert.Equal(new PackageError(PackageErrorCode.Io, "entry 'model.onnx' could not be written: disk full"), exception.Error);
        Assert.Equal(PackageErrorCode.Io, exception.Code);
        Assert.Equal(exception.Error.Message, exception.Message);
        Assert.Same(inner, exception.InnerException);
    }
}
