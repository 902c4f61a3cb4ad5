namespace ImageManager.Testing;

/// <summary>
/// A Keystone user made for a test, member of a project of its own (both in domain Default), with an application
/// credential for that project.
/// </summary>
public sealed record KeystoneAccount(string UserName, string Password, string ProjectName, string ApplicationCredentialId, string ApplicationCredentialSecret)
{
    public override string ToString() => $"KeystoneAccount {{ UserName = {UserName}, ProjectName = {ProjectName} }}";
}
