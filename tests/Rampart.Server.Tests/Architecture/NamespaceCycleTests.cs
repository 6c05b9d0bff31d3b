using System.Reflection;
using System.Reflection.Emit;

namespace Rampart.Server.Tests.Architecture;

/// <summary>
/// The server's folders (its namespaces) depend on each other without a cycle. The graph is built from every type of the
/// Rampart.Server assembly (nested and compiler-generated ones count for the namespace that declares them: lambdas, async
/// state machines, logging and regex source generators) and what it references: base type, interfaces, attributes,
/// fields, properties, events, constructor and method signatures, generic arguments, and the types, methods and fields
/// named in method bodies' IL (<c>newobj</c>, <c>call</c>, <c>ldfld</c>, <c>castclass</c>, <c>ldtoken</c>…). Not seen:
/// a type named only in a <c>calli</c> signature, in a custom attribute's arguments, or through reflection by name.
/// </summary>
public sealed class NamespaceCycleTests
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    [Fact]
    public void ServerNamespaces_DependencyGraph_HasNoCycle()
    {
        var graph = NamespaceGraph(typeof(RampartServer).Assembly);

        var cycle = FindCycle(graph);

        Assert.True(cycle is null, $"Rampart.Server's namespaces depend on each other in a cycle: {string.Join(" -> ", cycle ?? [])}. "
            + "Move the type that makes one of these edges to the folder it belongs to, or invert the dependency with an interface.");
    }

    [Fact]
    public void ServerNamespaces_DependencyGraph_SeesReferencesOfEveryKind()
    {
        var graph = NamespaceGraph(typeof(RampartServer).Assembly);

        // A constructor parameter (ChatGateway takes ExperimentSnapshots), an interface (ServerMetrics is the event
        // writer's IEventMetrics) and a call only in IL (Ops' /healthz lambda writes through ServerJson): a graph that
        // lost any of these kinds would pass the cycle check without checking much.
        Assert.Contains("Rampart.Server.Experiments", graph["Rampart.Server.Gateway"]);
        Assert.Contains("Rampart.Server.Events", graph["Rampart.Server.Telemetry"]);
        Assert.Contains("Rampart.Server.Http", graph["Rampart.Server.Ops"]);
    }

    /// <summary>Each of the assembly's namespaces, with the assembly's other namespaces its types reference.</summary>
    private static Dictionary<string, HashSet<string>> NamespaceGraph(Assembly assembly)
    {
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes())
        {
            if (type.Namespace is not { } from)
            {
                continue;
            }

            var edges = graph.TryGetValue(from, out var known) ? known : graph[from] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var referenced in References(type))
            {
                foreach (var leaf in Unwrap(referenced))
                {
                    if (leaf.Assembly == assembly && leaf.Namespace is { } to && to != from)
                    {
                        edges.Add(to);
                    }
                }
            }
        }

        return graph;
    }

    private static IEnumerable<Type> References(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }

        foreach (var i in type.GetInterfaces())
        {
            yield return i;
        }

        foreach (var a in type.CustomAttributes)
        {
            yield return a.AttributeType;
        }

        foreach (var field in type.GetFields(Declared))
        {
            yield return field.FieldType;
        }

        foreach (var property in type.GetProperties(Declared))
        {
            yield return property.PropertyType;
        }

        foreach (var e in type.GetEvents(Declared))
        {
            if (e.EventHandlerType is { } handler)
            {
                yield return handler;
            }
        }

        var methods = type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared));
        foreach (var method in methods)
        {
            if (method is MethodInfo info)
            {
                yield return info.ReturnType;
            }

            foreach (var parameter in method.GetParameters())
            {
                yield return parameter.ParameterType;
            }

            foreach (var a in method.CustomAttributes)
            {
                yield return a.AttributeType;
            }

            foreach (var t in BodyReferences(method))
            {
                yield return t;
            }
        }
    }

    /// <summary>The types of the tokens a method's IL names: types, and the declaring types and signatures of methods and fields.</summary>
    private static List<Type> BodyReferences(MethodBase method)
    {
        var found = new List<Type>();
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            return found;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                    found.AddRange(MemberTypes(member));
                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default:
                    at += OperandSize(opCode.OperandType);
                    break;
            }
        }

        return found;
    }

    private static IEnumerable<Type> MemberTypes(MemberInfo? member)
    {
        switch (member)
        {
            case Type type:
                yield return type;
                break;
            case FieldInfo field:
                yield return field.DeclaringType!;
                yield return field.FieldType;
                break;
            case MethodBase called:
                if (called.DeclaringType is { } declaring)
                {
                    yield return declaring;
                }

                if (called is MethodInfo info)
                {
                    yield return info.ReturnType;
                    foreach (var argument in info.IsGenericMethod ? info.GetGenericArguments() : [])
                    {
                        yield return argument;
                    }
                }

                foreach (var parameter in called.GetParameters())
                {
                    yield return parameter.ParameterType;
                }

                break;
        }
    }

    private static int OperandSize(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };

    /// <summary>A type with the element types and generic arguments inside it (<c>IOptions&lt;EventOptions&gt;[]</c> names both).</summary>
    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType)
        {
            foreach (var inner in Unwrap(type.GetElementType()!))
            {
                yield return inner;
            }

            yield break;
        }

        if (type.IsGenericParameter)
        {
            yield break;
        }

        yield return type;
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                foreach (var inner in Unwrap(argument))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>A cycle of <paramref name="graph"/> as its namespaces, the first repeated at the end; null when there is none.</summary>
    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var start in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (Visit(start) is { } cycle)
            {
                return cycle;
            }
        }

        return null;

        List<string>? Visit(string node)
        {
            var onPath = path.IndexOf(node);
            if (onPath >= 0)
            {
                return [.. path[onPath..], node];
            }

            if (!done.Add(node))
            {
                return null;
            }

            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node, []).Order(StringComparer.Ordinal))
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }
    }
}
