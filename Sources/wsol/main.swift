import Foundation
import WSOLCommands

exit(Entry.run(Array(CommandLine.arguments.dropFirst())))
