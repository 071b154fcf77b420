namespace Berth.Dns.Wire;

/// <summary>The 4-bit RCODE of the header (RFC 1035 §4.1.1); BADVERS (16) lives in the OPT record's extended bits.</summary>
internal enum ResponseCode : byte
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NxDomain = 3,
    NotImp = 4,
    Refused = 5,
}
