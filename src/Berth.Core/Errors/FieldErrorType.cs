namespace Berth.Core.Errors;

/// <summary>The error types of apimachinery <c>pkg/util/validation/field/errors.go</c>.</summary>
public enum FieldErrorType
{
    NotFound,
    Required,
    Duplicate,
    Invalid,
    NotSupported,
    Forbidden,
    TooLong,
    TooMany,
    Internal,
}
