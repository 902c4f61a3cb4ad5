using ImageManager.Cli;

return await CliApplication.RunAsync(args);
