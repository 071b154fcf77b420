using Berth.Core.Patching;

namespace Berth.Core.Tests.Patching;

public sealed class PatchExceptionTests
{
    [Fact]
    public void ToStatusException_BadRequest_Gives400WithMessage()
    {
        var error = new PatchException("invalid patch format of retainKeys");

        var status = error.ToStatusException().Status;

        Assert.Equal(400, status.Code);
        Assert.Equal("BadRequest", status.Reason);
        Assert.Equal("invalid patch format of retainKeys", status.Message);
    }

    [Fact]
    public void ToStatusException_Invalid_Gives422WithGenericMessageAndCause()
    {
        var error = new PatchException("testing value /a failed: test failed", PatchErrorKind.Invalid);

        var status = error.ToStatusException().Status;

        Assert.Equal(422, status.Code);
        Assert.Equal("Invalid", status.Reason);
        Assert.Equal("the server rejected our request due to an error in our request", status.Message);
        Assert.Equal("testing value /a failed: test failed", Assert.Single(status.Details.Causes).Message);
    }
}
