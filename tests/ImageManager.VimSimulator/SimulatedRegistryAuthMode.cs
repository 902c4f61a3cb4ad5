namespace ImageManager.VimSimulator;

/// <summary>The authentication schemes a simulated registry can ask for.</summary>
public enum SimulatedRegistryAuthMode
{
    Basic,
    Bearer,
}
