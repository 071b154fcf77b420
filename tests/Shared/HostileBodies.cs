namespace Berth.Tests.Shared;

/// <summary>Request bodies built to hurt a server (issue 11): shared by the decoder unit tests and the server tests.</summary>
internal static class HostileBodies
{
    /// <summary>CVE-2019-11253's "billion laughs" ConfigMap: 9^9 strings from 433 bytes of YAML.</summary>
    public const string BillionLaughs = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: billion-laughs-cm
        data:
          a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
          b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
          c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
          d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
          e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
          f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
          g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
          h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
          i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]

        """;
}
